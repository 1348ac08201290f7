/**
 * `pnpm demo` as a user runs it: the whole command, from spawn to exit, cold each time (a new
 * set of processes per run), on free ports. The journey's own duration comes from the demo's
 * `journey.succeeded` event (`--json`), so both figures come from the same runs.
 *
 * `measurePnpmFloor`: what any `pnpm <script>` costs here before the script's own work begins,
 * pnpm starting one node that does nothing (`pnpm exec node -e ""`), median of its runs. pnpm 10
 * is one 8 MB CommonJS file; on Node 20 nothing caches its compiled code (its own
 * v8-compile-cache is not found from its bin/), so on the 2-core machine this floor alone is
 * some 0.7-1.0 s of every `pnpm demo`. The bench prints it beside the demo, so that the part of
 * the figure that is the lab's own is visible.
 *
 * `measureHttpsCost`: what `--https` adds to `pnpm demo` once the lab CA exists. One `--https`
 * run first makes the CA (in a temporary directory, `MCP_DEMO_CA_DIR`: never the user's), then
 * runs alternate, http then https, so a machine that slows down or speeds up meanwhile weighs on
 * both alike; the cost is the median of the paired differences.
 */
import { parseEventLine } from '@mcp-auth-demo/trace';
import { freePorts } from '@mcp-auth-demo/stack';
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './percentile.ts';

export interface DemoRun {
  wallMs: number;
  journeyMs: number;
}

export async function runDemoCold(cwd: string, args: string[] = [], env: Record<string, string> = {}): Promise<DemoRun> {
  const ports = await freePorts();
  const started = performance.now();
  const result = await execa('pnpm', ['--silent', 'demo', '--json', '--as-port', String(ports.as), '--rs-port', String(ports.rs), '--client-port', String(ports.client), ...args], {
    cwd,
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1', ...env },
  });
  const wallMs = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`bench: pnpm demo exited ${result.exitCode}: ${String(result.stderr).slice(-500)}`);
  const succeeded = String(result.stdout)
    .split('\n')
    .map((line) => parseEventLine(line))
    .find((event) => event?.kind === 'journey.succeeded');
  return { wallMs, journeyMs: succeeded?.kind === 'journey.succeeded' ? succeeded.ms : Number.NaN };
}

/** Median wall time of `pnpm exec node -e ""` in `cwd`: pnpm's start and one node's, nothing else. */
export async function measurePnpmFloor(cwd: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await execa('pnpm', ['--silent', 'exec', 'node', '-e', ''], { cwd, timeout: 60_000 });
    times.push(performance.now() - started);
  }
  return percentile(times, 0.5);
}

export interface HttpsCost {
  /** Paired runs: the same command without and with `--https`, alternating. */
  pairs: { http: DemoRun; https: DemoRun }[];
  /** Median of (https - http) over the pairs, command to exit. */
  addsMs: number;
  /** The same for the journey inside the command. */
  journeyAddsMs: number;
}

export async function measureHttpsCost(cwd: string, pairs: number): Promise<HttpsCost> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-local-ca-'));
  const env = { MCP_DEMO_CA_DIR: join(dir, 'local-ca') };
  try {
    await runDemoCold(cwd, ['--https'], env); // makes the CA: not measured
    const runs: HttpsCost['pairs'] = [];
    for (let i = 0; i < pairs; i += 1) runs.push({ http: await runDemoCold(cwd), https: await runDemoCold(cwd, ['--https'], env) });
    return {
      pairs: runs,
      addsMs: percentile(runs.map((p) => p.https.wallMs - p.http.wallMs), 0.5),
      journeyAddsMs: percentile(runs.map((p) => p.https.journeyMs - p.http.journeyMs), 0.5),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
