/**
 * `pnpm bench`: measured figures, printed (the tests assert behaviour, never timings).
 * What is measured, against which baselines, is told in packages/bench/src/bench.ts.
 *
 *   pnpm bench [--quick] [--json]
 */
import { printReport, runBench } from '@mcp-auth-demo/bench';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });

runBench({ quick: values.quick }).then(
  (report) => {
    printReport(report, values.json);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
