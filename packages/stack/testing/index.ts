/**
 * Test support for anything that starts real processes: find the processes a test started (by
 * a unique value in their environment) and tell whether a port is still held, to prove that
 * nothing was left behind. Linux only (`/proc`), like the e2e tests that use it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The environment a live process was started with, as NAME=value entries (throws once it has gone). */
export function environmentOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

/** Pids of live processes whose environment holds `needle` (e.g. a test's unique issuer URL). */
export function processesWithEnv(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (environmentOf(Number(entry)).includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return pids;
}

/** The command line of a live process ('' once it has gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** True when something accepts connections on the port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}
