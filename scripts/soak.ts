/**
 * `pnpm soak`: 1,000 whole journeys, 100 at a time, against the real servers; exits 1 if any
 * failed or any server answered a 5xx. What it measures is told in packages/bench/src/soak.ts.
 *
 *   pnpm soak [--journeys N] [--concurrency N] [--rounds N] [--settle S]   (--rounds: the same batch N times on the same servers; --settle: idle seconds before RSS is read, default 45)
 */
import { formatSoak, runSoak } from '@mcp-auth-demo/bench';
import { parseArgs } from 'node:util';
// @ts-expect-error: plain JavaScript (it runs before anything is built), without type declarations.
import { ensureBuilt } from './build.mjs';

const { values } = parseArgs({ options: { journeys: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '100' }, rounds: { type: 'string', default: '1' }, settle: { type: 'string', default: '20' } } });
const bounded = (value: string, max: number) => Math.max(1, Math.min(max, Math.floor(Number(value)) || 1));

// The servers run as `pnpm demo` runs them: from their bundles in dist/.
(ensureBuilt as () => Promise<void>)().then(() => runSoak({ journeys: bounded(values.journeys, 10_000), concurrency: bounded(values.concurrency, 500), rounds: bounded(values.rounds, 20), settleSeconds: bounded(values.settle, 600) })).then(
  (report) => {
    process.stdout.write(formatSoak(report));
    process.exit(report.failures.length === 0 && report.serverErrors.length === 0 ? 0 : 1);
  },
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
