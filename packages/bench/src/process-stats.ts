/** What a server process costs the machine: its resident memory, read from /proc (Linux). */
import { readFileSync } from 'node:fs';

/** Resident set size of a process in MB, or undefined where /proc is not available. */
export function rssMegabytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}
