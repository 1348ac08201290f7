/**
 * What the end-to-end tests need around real processes: free ephemeral ports, running the
 * project's commands, reading their JSON trace, and proving that nothing was left behind.
 */
import { parseEventLine, type TraceEvent } from '@mcp-auth-demo/common';
import { execa, type Options } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export { freePort, freePorts } from '@mcp-auth-demo/stack';

export function portFlags(ports: { as: number; rs: number; client: number }): string[] {
  return ['--as-port', String(ports.as), '--rs-port', String(ports.rs), '--client-port', String(ports.client)];
}

/** Runs a project script with Node and tsx, as `pnpm <script>` would. */
export function runScript(script: string, args: string[], options: Options = {}) {
  return execa(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1' },
    ...options,
  });
}

export function parseTrace(stdout: string): TraceEvent[] {
  return stdout.split('\n').map(parseEventLine).filter((e): e is TraceEvent => e !== undefined);
}

/** Pids of live processes whose environment holds `needle` (e.g. a test's unique issuer URL). */
export function processesWithEnv(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return pids;
}

/** True when something accepts connections on the port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}
