/**
 * The journey in both MCP revisions, and the 2026-07-28 authorization rules that hold in both
 * (MCP 2026-07-28 authorization): credentials stay with the authorization server they belong
 * to (SEP-2352).
 * Real apps wired in-process (no port): every line of our code runs.
 */
import { createAuthorizationServer, generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { clientUrls, createClientHost, type JourneyConfig } from '@mcp-auth-demo/client';
import { SCOPES } from '@mcp-auth-demo/common';
import { type TraceEvent } from '@mcp-auth-demo/trace';
import { inProcessFetch } from '@mcp-auth-demo/common/testing';
import { createResourceServer } from '@mcp-auth-demo/resource-server';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoJourney, LAB } from './support/in-process-lab.ts';

const { issuer: AS1, resource: RESOURCE, clientBase: CLIENT_BASE } = LAB;
const AS2 = 'http://localhost:9100';
let signingKey: Awaited<ReturnType<typeof generateSigningKey>>;
beforeAll(async () => {
  signingKey = await generateSigningKey();
});

/** Two authorization servers, the client host, and an RS per AS (the resource can move). */
function world() {
  const events: TraceEvent[] = [];
  const onEvent = (e: TraceEvent) => events.push(e);
  const clientHost = createClientHost({ baseUrl: CLIENT_BASE, onEvent });
  const as = (issuer: string) =>
    createAuthorizationServer({
      issuer,
      resources: [RESOURCE],
      signingKey,
      dangerouslyAllowLoopbackHttp: true,
      fetch: inProcessFetch({ [CLIENT_BASE]: clientHost }),
      onEvent,
    });
  const as1 = as(AS1);
  const as2 = as(AS2);
  const rs = (issuer: string, app: Hono) =>
    createResourceServer({ resource: RESOURCE, authorizationServer: issuer, dangerouslyAllowLoopbackHttp: true, fetch: inProcessFetch({ [issuer]: app }), onEvent });
  const rs1 = rs(AS1, as1);
  const rs2 = rs(AS2, as2);
  /** Which RS answers at RESOURCE: the one of AS1 until `migrate()`. */
  let current = rs1;
  const mcpServer = new Hono().all('*', (c) => current.fetch(c.req.raw));
  const fetch = inProcessFetch({ [AS1]: as1, [AS2]: as2, [RESOURCE]: mcpServer, [CLIENT_BASE]: clientHost });
  const run = (overrides: Partial<JourneyConfig> = {}) => demoJourney(fetch, onEvent, overrides);
  return { run, events, as1, migrate: () => (current = rs2) };
}

describe('the journey in each MCP revision', () => {
  it.each(['2025-11-25', '2026-07-28', 'auto'] as const)('--spec %s: discovery, authorization, step-up and both tools', async (spec) => {
    const { run, events } = world();
    const result = await run({ spec });
    expect(result.failure).toBeUndefined();
    expect(result.tokens.map((t) => t.scopes)).toEqual([[SCOPES.connect], [SCOPES.connect, SCOPES.weatherRead]]);
    const connected = events.find((e) => e.kind === 'mcp.connected');
    const expected = spec === '2025-11-25' ? '2025-11-25' : '2026-07-28';
    expect(connected).toMatchObject({ revision: expected, chosen: spec });
    // The RS saw every MCP request in the revision the client chose.
    const eras = new Set(events.filter((e) => e.kind === 'mcp.era_detected').map((e) => (e as { era: string }).era));
    expect([...eras]).toEqual([expected]);
    // A 2026-07-28 run closes with the lesson of what changed; a 2025-11-25 run has nothing to compare.
    const lesson = events.find((e) => e.kind === 'lesson.eras_compared');
    if (expected === '2026-07-28') expect(lesson).toMatchObject({ revision: '2026-07-28', compared_with: '2025-11-25' });
    else expect(lesson).toBeUndefined();
  });

  it('2026-07-28 sends no initialize: every MCP request names its revision and method in headers', async () => {
    const { run, events } = world();
    await run({ spec: '2026-07-28' });
    const mcpRequests = events.filter((e) => e.kind === 'http.request' && e.url === RESOURCE) as { headers: Record<string, string>; body?: string }[];
    expect(mcpRequests.length).toBeGreaterThan(3);
    expect(mcpRequests.map((r) => r.body)).not.toContain('JSON-RPC initialize');
    for (const request of mcpRequests) {
      expect(request.headers['MCP-Protocol-Version']).toBe('2026-07-28');
      expect(request.headers['Mcp-Method']).toBe(request.body?.split(' ')[1]);
    }
    expect(mcpRequests.filter((r) => r.headers['Mcp-Method'] === 'tools/call').map((r) => r.headers['Mcp-Name'])).toEqual(
      expect.arrayContaining(['whoami', 'get_weather']),
    );
  });
});

describe('credentials are bound to their authorization server (SEP-2352)', () => {
  it.each(['2025-11-25', '2026-07-28'] as const)(
    '%s: when the resource moves to another AS, a pre-registered client_id is not sent there; the client registers anew',
    async (spec) => {
      const { run, events, as1, migrate } = world();
      // A client pre-registered with AS1 (registered through AS1's RFC 7591 endpoint).
      const registered = await as1.request(`${AS1}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'pre', redirect_uris: [clientUrls(CLIENT_BASE).redirectUri], token_endpoint_auth_method: 'none' }),
      });
      const { client_id: preRegistered } = (await registered.json()) as { client_id: string };
      const result = await run({
        spec,
        calls: [{ name: 'whoami', arguments: {} }, { name: 'whoami', arguments: {} }],
        registration: { ...clientUrls(CLIENT_BASE), clientId: preRegistered, clientMetadataUrl: clientUrls(CLIENT_BASE).clientId, clientName: 'test' },
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'tool.result') migrate();
        },
      });
      expect(result.failure).toBeUndefined();
      const authorizations = events.filter((e) => e.kind === 'authorization.requested') as { authorization_endpoint: string; params: Record<string, string> }[];
      expect(authorizations.map((a) => [new URL(a.authorization_endpoint).origin, a.params.client_id])).toEqual([
        [AS1, preRegistered],
        [AS2, clientUrls(CLIENT_BASE).clientId],
      ]);
      expect(events.find((e) => e.kind === 'credentials.not_reused')).toMatchObject({ client_id: preRegistered, bound_to: AS1, issuer: AS2 });
      // No request to AS2 carried the AS1 client_id anywhere (query or form body).
      const toAs2 = events.filter((e) => e.kind === 'http.request' && e.url.startsWith(AS2)) as { url: string; body?: string }[];
      expect(toAs2.length).toBeGreaterThan(0);
      expect(toAs2.some((r) => `${r.url} ${r.body ?? ''}`.includes(preRegistered))).toBe(false);
      // Nor AS1's refresh token: a credential of the grant AS1 made, refreshed only at AS1.
      const fromAs1 = result.tokens.flatMap((t) => (t.refresh_token ? [t.refresh_token] : []));
      expect(fromAs1.length).toBeGreaterThan(0);
      expect(toAs2.some((r) => fromAs1.some((token) => `${r.url} ${r.body ?? ''}`.includes(token)))).toBe(false);
    },
  );
});
