/**
 * `pnpm soak`: 1,000 whole journeys, 100 at a time, against the real servers; exits 1 if any
 * failed or any server answered a 5xx. What it measures is told in packages/bench/src/soak.ts.
 *
 *   pnpm soak [--journeys N] [--concurrency N] [--rounds N] [--settle S] [--warm-up N]
 *
 * --rounds: the same batch N times on the same servers; --settle: idle seconds before RSS is
 * read (default 45, past the servers' collections at 30 s and 36 s of quiet); --warm-up:
 * journeys, then a settle, before the warm idle is read (default 20; 0 for none).
 */
import { formatSoak, parseSoakArgs, runSoak } from '@mcp-auth-demo/bench';
// @ts-expect-error: plain JavaScript (it runs before anything is built), without type declarations.
import { ensureBuilt } from './build.mjs';

// The servers run as `pnpm demo` runs them: from their bundles in dist/.
(ensureBuilt as () => Promise<void>)().then(() => runSoak(parseSoakArgs(process.argv.slice(2)))).then(
  (report) => {
    process.stdout.write(formatSoak(report));
    process.exit(report.failures.length === 0 && report.serverErrors.length === 0 ? 0 : 1);
  },
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
