/**
 * `pnpm demo` as a user runs it: the whole command, from spawn to exit, cold each time (a new
 * set of processes per run), on free ports. The journey's own duration comes from the demo's
 * `journey.succeeded` event (`--json`), so both figures come from the same runs.
 */
import { parseEventLine } from '@mcp-auth-demo/trace';
import { freePorts } from '@mcp-auth-demo/stack';
import { execa } from 'execa';

export interface DemoRun {
  wallMs: number;
  journeyMs: number;
}

export async function runDemoCold(cwd: string): Promise<DemoRun> {
  const ports = await freePorts();
  const started = performance.now();
  const result = await execa('pnpm', ['--silent', 'demo', '--json', '--as-port', String(ports.as), '--rs-port', String(ports.rs), '--client-port', String(ports.client)], {
    cwd,
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1' },
  });
  const wallMs = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`bench: pnpm demo exited ${result.exitCode}: ${String(result.stderr).slice(-500)}`);
  const succeeded = String(result.stdout)
    .split('\n')
    .map((line) => parseEventLine(line))
    .find((event) => event?.kind === 'journey.succeeded');
  return { wallMs, journeyMs: succeeded?.kind === 'journey.succeeded' ? succeeded.ms : Number.NaN };
}
