/**
 * `pnpm bench`: measured figures, printed (the tests assert behaviour, never timings).
 * What is measured, against which baselines, is told in packages/bench/src/bench.ts.
 *
 *   pnpm bench [--quick] [--json]
 */
import { printReport, runBench } from '@mcp-auth-demo/bench';
import { parseArgs } from 'node:util';
// @ts-expect-error: plain JavaScript (it runs before anything is built), without type declarations.
import { ensureBuilt } from './build.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });

// The servers are measured as `pnpm demo` runs them: from their bundles in dist/.
(ensureBuilt as () => Promise<void>)().then(() => runBench({ quick: values.quick })).then(
  (report) => {
    printReport(report, values.json);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
