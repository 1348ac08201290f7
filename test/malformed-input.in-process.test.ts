/**
 * Issue 23 §3: malformed input on every route of every party, in-process (`app.request()`):
 * broken JSON, invalid UTF-8 (raw bytes and percent-encoded), a deeply nested document, NUL and
 * control characters, a wrong content type. The routes are read off the apps themselves
 * (Hono's `app.routes`), so a route added later is covered without editing this file.
 *
 * Every answer: never a 500 (never a 5xx at all, the inputs are the client's fault), never a stack
 * trace, and an error in JSON carries the spec's error member: `error` (RFC 6749 §5.2, RFC 7591
 * §3.2.2), a JSON-RPC error, or `err` at the SET receiver (RFC 8935 §2.3); a 401 carries
 * `WWW-Authenticate` (RFC 9110 §11.6.1).
 */
import { createAuthorizationServer, generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { clientUrls, createClientHost, runJourney } from '@mcp-auth-demo/client';
import { inProcessFetch } from '@mcp-auth-demo/common/testing';
import { createResourceServer } from '@mcp-auth-demo/resource-server';
import type { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';

const ISSUER = 'http://localhost:9000';
const RESOURCE = 'http://localhost:8001/mcp';
const CLIENT_BASE = 'http://localhost:3000';
const RS_CREDENTIALS = { client_id: 'mcp-server', client_secret: 's'.repeat(40) };

/** Each party's app; the resource server's cases are also sent with a real token, so they reach MCP. */
const apps: Record<string, { app: Hono; origin: string; token?: string }> = {};
beforeAll(async () => {
  const clientHost = createClientHost({ baseUrl: CLIENT_BASE });
  const as = createAuthorizationServer({
    issuer: ISSUER, resources: [RESOURCE], signingKey: await generateSigningKey(), dangerouslyAllowLoopbackHttp: true,
    introspectionClients: [{ ...RS_CREDENTIALS, resource: RESOURCE }], fetch: inProcessFetch({ [CLIENT_BASE]: clientHost }),
  });
  const rs = createResourceServer({
    resource: RESOURCE, authorizationServer: ISSUER, dangerouslyAllowLoopbackHttp: true,
    introspection: { clientId: RS_CREDENTIALS.client_id, clientSecret: RS_CREDENTIALS.client_secret },
    fetch: inProcessFetch({ [ISSUER]: as }),
  });
  apps['authorization server'] = { app: as, origin: ISSUER };
  // A real token for the RS, from a real journey (the only way this AS issues one).
  const { clientId, redirectUri } = clientUrls(CLIENT_BASE);
  const journey = await runJourney({
    serverUrl: RESOURCE, calls: [{ name: 'whoami', arguments: {} }],
    registration: { clientMetadataUrl: clientId, redirectUri, clientName: 'malformed-input test' },
    fetch: inProcessFetch({ [ISSUER]: as, [RESOURCE]: rs, [CLIENT_BASE]: clientHost }),
  });
  expect(journey.ok).toBe(true);
  apps['resource server'] = { app: rs as unknown as Hono, origin: 'http://localhost:8001', token: journey.tokens[0]!.access_token };
  apps['client host'] = { app: clientHost, origin: CLIENT_BASE };
});

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const INVALID_UTF8 = new Uint8Array([0x63, 0x6f, 0x64, 0x65, 0x3d, 0xff, 0xfe, 0xc0, 0xaf, 0x26, 0x78, 0x3d, 0xed, 0xa0, 0x80]);

/** Each hostile request, for a route's path; `query` cases go to every method, bodies to POST-like ones. */
const CASES: readonly { name: string; query?: string; body?: BodyInit; type?: string; headers?: Record<string, string> }[] = [
  { name: 'percent-encoded invalid UTF-8 in the query', query: '?client_id=%ff%fe&redirect_uri=%C0%AF&state=%ED%A0%80&scope=%00' },
  { name: 'a malformed percent escape in the query', query: '?client_id=%&resource=%zz&code=%E0%A4%A' },
  { name: 'broken JSON', body: '{"jsonrpc":"2.0","id":1,', type: 'application/json' },
  { name: 'JSON nested 100,000 deep', body: deep(100_000), type: 'application/json' },
  { name: 'JSON that is a string, not an object', body: '"hello"', type: 'application/json' },
  { name: 'raw invalid UTF-8 in a form', body: INVALID_UTF8, type: 'application/x-www-form-urlencoded' },
  { name: 'raw invalid UTF-8 as JSON', body: INVALID_UTF8, type: 'application/json' },
  { name: 'percent-encoded invalid UTF-8 in a form', body: 'grant_type=%ff&code=%C0%AF&client_id=%ED%A0%80', type: 'application/x-www-form-urlencoded' },
  { name: 'NUL and control characters in a form', body: 'grant_type=authorization_code\u0000&code=\u001b[2J&redirect_uri=\r\nX-Injected: 1', type: 'application/x-www-form-urlencoded' },
  { name: 'a multipart body where a form or JSON is expected', body: '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--', type: 'multipart/form-data; boundary=b' },
  { name: 'a garbage Authorization header', body: 'token=x', type: 'application/x-www-form-urlencoded', headers: { Authorization: 'Basic %%%\u00ff not base64 ::::' } },
  { name: 'a Bearer token of invalid UTF-8 and dots', body: '{}', type: 'application/json', headers: { Authorization: 'Bearer ...\u00ff.\u00fe.' } },
];

/** A Hono route pattern made concrete: parameters filled, wildcards dropped. */
const concrete = (path: string) => path.replace(/:[^/]+/g, 'x').replace(/\/\*$/, '').replace(/\*/g, 'x') || '/';

function routesOf(app: Hono): { method: string; path: string }[] {
  const seen = new Set<string>();
  return app.routes
    .filter((r) => r.method !== 'ALL' || r.path !== '/*')
    .flatMap((r) => (r.method === 'ALL' ? ['GET', 'POST'] : [r.method]).map((method) => ({ method, path: concrete(r.path) })))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

describe.each(['authorization server', 'resource server', 'client host'])('every route of the %s, against malformed input', (party) => {
  it('answers each hostile request without a 5xx or a stack trace, with the spec\'s error members', async () => {
    const { app, origin, token } = apps[party]!;
    const routes = routesOf(app);
    const bearer = token ? [undefined, `Bearer ${token}`] : [undefined];
    expect(routes.length).toBeGreaterThan(party === 'client host' ? 1 : 4);
    const failures: string[] = [];
    for (const route of routes) {
      for (const c of bearer.flatMap((authorization) => CASES.map((k) => (authorization && !k.headers ? { ...k, name: `${k.name} (a valid token)`, headers: { Authorization: authorization } } : k)))) {
        const hasBody = c.body !== undefined;
        if (hasBody && (route.method === 'GET' || route.method === 'HEAD')) continue;
        const url = `${origin}${route.path}${c.query ?? ''}`;
        const headers = { ...(c.type && { 'Content-Type': c.type }), Accept: 'application/json, text/event-stream', ...c.headers };
        const response = await app.request(url, { method: route.method, headers, ...(hasBody && { body: c.body }) });
        const text = await response.text();
        const where = `${route.method} ${route.path} with ${c.name}: ${response.status}`;
        if (response.status >= 500) failures.push(`${where} ${text.slice(0, 120)}`);
        if (/\n\s+at [\w.<]+ \(|node:internal|\.ts:\d+:\d+/.test(text)) failures.push(`${where}: a stack trace`);
        if (response.status === 401 && !response.headers.get('www-authenticate')) failures.push(`${where}: 401 without WWW-Authenticate`);
        const json = /json/.test(response.headers.get('content-type') ?? '') ? safeJson(text) : undefined;
        // OAuth's `error`, JSON-RPC's error object, or a SET receiver's `err` (RFC 8935 §2.3); a
        // 401 to a request without a token has no error code (RFC 6750 §3.1), in the body or the challenge.
        const noTokenChallenge = response.status === 401 && !/error=/.test(response.headers.get('www-authenticate') ?? 'error=');
        if (response.status >= 400 && json && typeof json === 'object' && !('error' in json) && !('jsonrpc' in json) && !('err' in json) && !noTokenChallenge) {
          failures.push(`${where}: an error without \`error\`: ${text.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe('the cases reach past the token check', () => {
  it('broken JSON with a valid token meets the MCP endpoint itself: a JSON-RPC parse error, 400', async () => {
    const { app, token } = apps['resource server']!;
    const response = await app.request(RESOURCE, {
      method: 'POST', body: '{"jsonrpc":"2.0","id":1,',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
  });
});

