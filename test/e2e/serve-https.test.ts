/**
 * `pnpm serve --https` (issue 29): the banner's two lines (the CA file for NODE_EXTRA_CA_CERTS,
 * a browser that trusts the leaf for one session), and the official SDK v2 client
 * (`@modelcontextprotocol/client` 2.4.0) completing the journey, step-up included, on its own CIMD
 * path (`clientMetadataUrl`, sdk2-cimd-client.ts), trusting the lab CA only through the printed
 * NODE_EXTRA_CA_CERTS line. Then our own `pnpm client --https`, which trusts it explicitly.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Card } from '@mcp-auth-demo/verdicts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, runScript } from './processes.ts';
import { complete, startServe, stop } from './serve-harness.ts';

const caDir = join(mkdtempSync(join(tmpdir(), 'serve-https-')), 'local-ca');
let s: Awaited<ReturnType<typeof startServe>>;
beforeAll(async () => {
  s = await startServe(['--https'], { MCP_DEMO_CA_DIR: caDir });
}, 60_000);
afterAll(() => stop(s.serve));

const notPassed = (card: Card) => card.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.verdict} (${c.evidence})`);
const printed = (pattern: RegExp) => pattern.exec(s.output())?.[1];

/** The SDK v2 client as its own process, trusting what `env` says; its one JSON line. */
async function runSdk2(env: Record<string, string>) {
  const clientId = `${s.urls.clientBase}/client-metadata.json`;
  const result = await runScript('test/e2e/sdk2-cimd-client.ts', [s.urls.resource, clientId, `${s.urls.clientBase}/callback`], { env: { NO_COLOR: '1', ...env } });
  // (stderr: the SDK's own warnings about optional provider members)
  return JSON.parse(String(result.stdout) || `{"error":${JSON.stringify(String(result.stderr))}}`) as { client_id?: string; scopes?: string[]; weather?: unknown; error?: string };
}

describe('pnpm serve --https', () => {
  it('serves https URLs and prints the two lines that trust the lab CA: NODE_EXTRA_CA_CERTS, and a browser for this session', () => {
    expect(s.urls.resource).toMatch(/^https:\/\/localhost:\d+\/mcp$/);
    expect(s.output()).toContain(`Point an MCP client at ${s.urls.resource}`);
    expect(printed(/NODE_EXTRA_CA_CERTS=(\S+)/)).toBe(join(caDir, 'ca.pem'));
    expect(new X509Certificate(readFileSync(join(caDir, 'ca.pem'))).ca).toBe(true);
    // Chromium's SPKI list: base64 SHA-256 of the leaf's SubjectPublicKeyInfo, with a throwaway profile.
    const leaf = new X509Certificate(readFileSync(join(caDir, 'localhost.pem')));
    const spki = createHash('sha256').update(leaf.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
    expect(printed(/--ignore-certificate-errors-spki-list=(\S+)/)).toBe(spki);
    expect(s.output()).toMatch(/--user-data-dir="\$\(mktemp -d\)"/);
  });

  it('the SDK v2 client, trusting nothing but its defaults, cannot connect: the CA is in no trust store', async () => {
    const run = await runSdk2({});
    expect(run.error).toMatch(/fetch failed|certificate|UNABLE_TO_VERIFY/i);
  });

  it('the SDK v2 client on its own CIMD path (clientMetadataUrl), with NODE_EXTRA_CA_CERTS: whoami, step-up, get_weather; every check passes', async () => {
    const run = await runSdk2({ NODE_EXTRA_CA_CERTS: printed(/NODE_EXTRA_CA_CERTS=(\S+)/)! });
    expect(run.error).toBeUndefined();
    // The SDK used the document's URL as its client_id itself: no registration, nothing pre-registered.
    expect(run.client_id).toBe(`${s.urls.clientBase}/client-metadata.json`);
    expect(run.scopes).toEqual(['mcp:connect', 'mcp:connect weather:read']);
    expect(JSON.stringify(run.weather)).toContain('Oslo');
    expect(notPassed(await s.card(run.client_id!, complete))).toEqual([]);
  });

  it('pnpm client --https trusts the lab CA explicitly and completes; without --https it is refused the certificate', async () => {
    const lab = ['--client-metadata-url', `${s.urls.clientBase}/client-metadata.json`, '--redirect-uri', `${s.urls.clientBase}/callback`];
    const trusted = await runCommand('client', ['--https', ...lab, '--call', 'get_weather', '--args', '{"city":"Lima"}', s.urls.resource], { env: { NO_COLOR: '1', MCP_DEMO_CA_DIR: caDir } });
    expect(trusted.exitCode).toBe(0);
    expect(String(trusted.stdout)).toContain(`client_id ${s.urls.clientBase}/client-metadata.json`);
    const untrusted = await runCommand('client', [...lab, '--call', 'whoami', s.urls.resource], { env: { NO_COLOR: '1', MCP_DEMO_CA_DIR: caDir } });
    expect(untrusted.exitCode).toBe(1);
    expect(String(untrusted.stdout)).toMatch(/TLS certificate|UNABLE_TO_VERIFY/);
  });
});
