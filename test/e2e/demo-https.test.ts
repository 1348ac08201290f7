/**
 * `pnpm demo --https` end to end (issue 29): the three real servers listen with TLS on ephemeral
 * loopback ports, with a leaf of the lab's local CA made on first use in a temporary directory
 * (MCP_DEMO_CA_DIR; never the user's cache), every URL is https, the journey completes with
 * step-up, and the CA is reused by the next run.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { only, parseTrace, portFlags, runCommand } from './processes.ts';

const caDir = join(mkdtempSync(join(tmpdir(), 'demo-https-')), 'local-ca');
const env = { NO_COLOR: '1', MCP_DEMO_CA_DIR: caDir };

describe('pnpm demo --https', () => {
  it('runs the whole journey over TLS: every server https, every URL https, step-up included', async () => {
    const ports = await freePorts();
    const result = await runCommand('demo', [...portFlags(ports), '--https', '--json'], { env });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const events = parseTrace(String(result.stdout));
    const resource = `https://localhost:${ports.rs}/mcp`;
    expect(events.at(-1)?.kind).toBe('journey.succeeded');

    expect(only(events, 'server.listening').map((e) => e.url).sort()).toEqual(
      [`https://localhost:${ports.as}`, resource, `https://localhost:${ports.client}`].sort(),
    );
    // Every request the client made went over TLS; the contrast's attacker URL is only a parameter.
    const requests = only(events, 'http.request').map((r) => r.url);
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((url) => !url.startsWith('https://localhost:'))).toEqual([]);
    // The AS fetched the client's https CIMD document (over TLS, trusting the lab CA explicitly).
    const clientId = `https://localhost:${ports.client}/client-metadata.json`;
    expect(only(events, 'cimd.fetched').map((e) => [e.client_id, e.status])).toEqual([[clientId, 200]]);
    // Its own callback is https; the loopback IP ones stay http, as RFC 8252 §7.3 has them (--browser).
    expect(only(events, 'cimd.validated')[0]?.redirect_uris).toEqual([
      `https://localhost:${ports.client}/callback`, `http://127.0.0.1:${ports.client}/callback`, `http://[::1]:${ports.client}/callback`,
    ]);
    expect(only(events, 'token.issued').map((t) => [t.claims.iss, t.claims.aud, t.claims.client_id, t.claims.scope])).toEqual([
      [`https://localhost:${ports.as}`, resource, `https://localhost:${ports.client}/client-metadata.json`, 'mcp:connect'],
      [`https://localhost:${ports.as}`, `https://localhost:${ports.rs}/other/mcp`, `https://localhost:${ports.client}/client-metadata.json`, 'mcp:connect'],
      [`https://localhost:${ports.as}`, resource, `https://localhost:${ports.client}/client-metadata.json`, 'mcp:connect weather:read'],
    ]);
    expect(only(events, 'tool.result').map((r) => [r.name, r.isError])).toEqual([['whoami', false], ['get_weather', false]]);
    // The RS subscribed to the AS's revocations over TLS too (ready waits for the live channel).
    expect(only(events, 'revocation_channel.live').length).toBeGreaterThan(0);

    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(`MCP_DEMO_RESOURCE=${resource}`)).toEqual([]);
  });

  it('made the CA in the directory it was given, keys owner-only, and reuses it on the next run', async () => {
    const caFile = join(caDir, 'ca.pem');
    const before = readFileSync(caFile, 'utf8');
    const leafBefore = readFileSync(join(caDir, 'localhost.pem'), 'utf8');
    expect(new X509Certificate(before).ca).toBe(true);
    for (const key of ['ca-key.pem', 'localhost-key.pem']) expect(statSync(join(caDir, key)).mode & 0o777).toBe(0o600);

    const result = await runCommand('demo', [...portFlags(await freePorts()), '--https'], { env });
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toMatch(/MCP server: https:\/\/localhost:\d+\/mcp/);
    // The cast names no transport deviation: there is none left (over http it names plain http on loopback).
    expect(String(result.stdout)).toContain('Who takes part');
    expect(String(result.stdout)).not.toContain('transport deviation');
    expect(readFileSync(caFile, 'utf8')).toBe(before);
    expect(readFileSync(join(caDir, 'localhost.pem'), 'utf8')).toBe(leafBefore);
  });

  it('refuses what does not run over https yet, with the reason', async () => {
    for (const [flags, reason] of [[['--scenario', 'all'], /--scenario runs over http for now/], [['--as', 'oidc-provider'], /our authorization server only/]] as const) {
      const result = await runCommand('demo', ['--https', ...flags], { env });
      expect(result.exitCode).toBe(1);
      expect(String(result.stderr)).toMatch(reason);
    }
  });
});
