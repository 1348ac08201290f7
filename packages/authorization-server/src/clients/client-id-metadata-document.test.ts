import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { authorize, CLIENT_BASE, CLIENT_ID, clientDocument, createHarness, kinds, STACK_FRAME, type HarnessOptions } from '../../testing/index.ts';

/** Serves `document` at `path` on the client host, with `client_id` = its own URL. */
const serve =
  (path: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  (host: Hono) =>
    host.get(path, (c) => c.json(clientDocument(`${CLIENT_BASE}${path}`, overrides), 200, headers));

const bigName = 'x'.repeat(6 * 1024);

/** A body streamed in 1 KB chunks, with no Content-Length. */
function streamed(totalKb: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ < totalKb) controller.enqueue(new TextEncoder().encode(' '.repeat(1024)));
      else controller.close();
    },
  });
}

interface Row {
  rule: string;
  clientId: string;
  routes?: HarnessOptions['routes'];
  /** How many fetches the AS may make: 0 when the URL itself is refused. */
  fetches: number;
  /** What the trace must give as the reason: the rule that refused, not some later one. */
  reason?: RegExp;
  /** The host never finishes answering: run with a 50 ms time bound instead of 3 s. */
  hangs?: boolean;
  error?: string;
}

describe('GET /authorize: the client_id is checked, and a bad one is shown, never redirected (RFC 6749 §4.1.2.1)', () => {
  it.each<Row>([
    // --- the URL itself (CIMD §3): refused before any DNS lookup or fetch
    { rule: 'client_id missing', clientId: '', fetches: 0, error: 'invalid_request' },
    { rule: 'not a URL (no registered clients yet)', clientId: 'my-client', fetches: 0 },
    { rule: 'malformed URL', reason: /not a URL/, clientId: 'https://', fetches: 0 },
    { rule: 'http on a non-loopback host', reason: /https/, clientId: 'http://client.example/client-metadata.json', fetches: 0 },
    { rule: 'a fragment', reason: /fragment/, clientId: `${CLIENT_ID}#frag`, fetches: 0 },
    { rule: 'an empty fragment', reason: /fragment/, clientId: `${CLIENT_ID}#`, fetches: 0 },
    { rule: 'userinfo', reason: /username or password/, clientId: 'http://user:pass@localhost:3000/client-metadata.json', fetches: 0 },
    { rule: 'empty userinfo', reason: /username or password/, clientId: 'http://@localhost:3000/client-metadata.json', fetches: 0 },
    { rule: 'a ".." segment', reason: /path segments/, clientId: 'http://localhost:3000/docs/../client-metadata.json', fetches: 0 },
    { rule: 'a "." segment', reason: /path segments/, clientId: 'http://localhost:3000/./client-metadata.json', fetches: 0 },
    { rule: 'a percent-encoded ".." segment', reason: /path segments/, clientId: 'http://localhost:3000/docs/%2E%2e/client-metadata.json', fetches: 0 },
    { rule: 'no path', reason: /contain a path/, clientId: 'http://localhost:3000', fetches: 0 },
    { rule: 'only "/" as path', reason: /contain a path/, clientId: 'http://localhost:3000/', fetches: 0 },
    // --- the fetch (CIMD §4, §6.6)
    { rule: 'unknown document (404)', reason: /HTTP 404/, clientId: `${CLIENT_BASE}/nothing.json`, fetches: 1 },
    {
      rule: 'a redirect (3xx is not followed)', reason: /HTTP 302.*redirects are not followed/,
      clientId: `${CLIENT_BASE}/moved.json`,
      routes: (host) => host.get('/moved.json', (c) => c.redirect(CLIENT_ID, 302)),
      fetches: 1,
    },
    {
      rule: 'a 500 answer', reason: /HTTP 500/,
      clientId: `${CLIENT_BASE}/broken.json`,
      routes: (host) => host.get('/broken.json', (c) => c.json(clientDocument(`${CLIENT_BASE}/broken.json`), 500)),
      fetches: 1,
    },
    {
      rule: 'a 201 answer (only 200 is success)', reason: /HTTP 201/,
      clientId: `${CLIENT_BASE}/created.json`,
      routes: (host) => host.get('/created.json', (c) => c.json(clientDocument(`${CLIENT_BASE}/created.json`), 201)),
      fetches: 1,
    },
    { rule: 'not JSON', reason: /not valid JSON/, clientId: `${CLIENT_BASE}/text`, routes: (host) => host.get('/text', (c) => c.text('hello')), fetches: 1 },
    {
      rule: 'a JSON array', reason: /not a JSON object/,
      clientId: `${CLIENT_BASE}/array.json`,
      routes: (host) => host.get('/array.json', (c) => c.json([clientDocument(`${CLIENT_BASE}/array.json`)])),
      fetches: 1,
    },
    { rule: 'a document over 5 KB', reason: /larger than 5120 bytes/, clientId: `${CLIENT_BASE}/big.json`, routes: serve('/big.json', { client_name: bigName }), fetches: 1 },
    {
      rule: 'a body streamed past 5 KB without Content-Length', reason: /larger than 5120 bytes/,
      clientId: `${CLIENT_BASE}/stream.json`,
      routes: (host) => host.get('/stream.json', () => new Response(streamed(8), { headers: { 'Content-Type': 'application/json' } })),
      fetches: 1,
    },
    {
      rule: 'a Content-Length that understates the body (the stream is what counts)', reason: /larger than 5120 bytes/,
      clientId: `${CLIENT_BASE}/liar.json`,
      routes: (host) =>
        host.get('/liar.json', () => {
          const body = JSON.stringify(clientDocument(`${CLIENT_BASE}/liar.json`, { client_name: bigName }));
          return new Response(body, { headers: { 'Content-Type': 'application/json', 'Content-Length': '100' } });
        }),
      fetches: 1,
    },
    {
      rule: 'a host that never answers (time bound)', reason: /within 50 ms/,
      clientId: `${CLIENT_BASE}/hang.json`,
      routes: (host) => host.get('/hang.json', () => new Promise<Response>(() => {})),
      fetches: 1,
      hangs: true,
    },
    {
      rule: 'a body that never ends (time bound covers the body)', reason: /within 50 ms/,
      clientId: `${CLIENT_BASE}/drip.json`,
      routes: (host) => host.get('/drip.json', () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{')) }))),
      fetches: 1,
      hangs: true,
    },
    // --- the document (CIMD §4.1, MCP required members)
    { rule: 'client_id differs from the URL', reason: /is not its URL/, clientId: `${CLIENT_BASE}/other-id.json`, routes: serve('/other-id.json', { client_id: CLIENT_ID }), fetches: 1 },
    {
      rule: 'client_id differs only by a trailing slash (simple string comparison)', reason: /is not its URL/,
      clientId: `${CLIENT_BASE}/slash.json`,
      routes: serve('/slash.json', { client_id: `${CLIENT_BASE}/slash.json/` }),
      fetches: 1,
    },
    { rule: 'redirect_uris missing', reason: /no redirect_uris/, clientId: `${CLIENT_BASE}/no-uris.json`, routes: serve('/no-uris.json', { redirect_uris: undefined }), fetches: 1 },
    { rule: 'redirect_uris empty', reason: /no redirect_uris/, clientId: `${CLIENT_BASE}/empty-uris.json`, routes: serve('/empty-uris.json', { redirect_uris: [] }), fetches: 1 },
    { rule: 'redirect_uris not strings', reason: /no redirect_uris/, clientId: `${CLIENT_BASE}/num-uris.json`, routes: serve('/num-uris.json', { redirect_uris: [42] }), fetches: 1 },
    {
      rule: 'a plain-http non-loopback redirect URI (MCP: localhost or https)', reason: /http:\/\/client.example\/cb.*must use https/,
      clientId: `${CLIENT_BASE}/http-uri.json`,
      routes: serve('/http-uri.json', { redirect_uris: ['http://localhost:3000/callback', 'http://client.example/cb'] }),
      fetches: 1,
    },
    { rule: 'client_name missing', reason: /no client_name/, clientId: `${CLIENT_BASE}/no-name.json`, routes: serve('/no-name.json', { client_name: undefined }), fetches: 1 },
    ...['client_secret_basic', 'client_secret_post', 'client_secret_jwt'].map((method) => ({
      rule: `token_endpoint_auth_method ${method}`,
      reason: /needs a shared secret/,
      clientId: `${CLIENT_BASE}/${method}.json`,
      routes: serve(`/${method}.json`, { token_endpoint_auth_method: method }),
      fetches: 1,
    })),
    {
      rule: 'token_endpoint_auth_method private_key_jwt (not implemented here)', reason: /private_key_jwt.*not supported/,
      clientId: `${CLIENT_BASE}/pkjwt.json`,
      routes: serve('/pkjwt.json', { token_endpoint_auth_method: 'private_key_jwt' }),
      fetches: 1,
    },
    { rule: 'a client_secret member', reason: /client_secret/, clientId: `${CLIENT_BASE}/secret.json`, routes: serve('/secret.json', { client_secret: 's3cret' }), fetches: 1 },
    {
      rule: 'a client_secret_expires_at member', reason: /client_secret/,
      clientId: `${CLIENT_BASE}/secret-exp.json`,
      routes: serve('/secret-exp.json', { client_secret_expires_at: 0 }),
      fetches: 1,
    },
  ])('$rule -> 400, no Location', async ({ clientId, routes, fetches, reason, hangs, error = 'invalid_client' }) => {
    const h = await createHarness({ routes, config: hangs ? { cimd: { timeoutMs: 50 } } : {} });
    const response = await authorize(h, { client_id: clientId || undefined });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ error });
    expect(body).not.toMatch(STACK_FRAME);
    expect(h.fetched).toHaveLength(fetches);
    if (fetches === 0) expect(h.resolved).toHaveLength(0);
    expect(kinds(h)).not.toContain('cimd.validated');
    expect(kinds(h)).not.toContain('code.issued');
    if (reason) expect(h.events.find((e) => e.kind === 'cimd.rejected')).toMatchObject({ reason: expect.stringMatching(reason) });
  });

  it('the happy-path document passes the same checks (the table above is not vacuous)', async () => {
    const h = await createHarness();
    expect((await authorize(h)).status).toBe(302);
    expect(h.fetched).toEqual([CLIENT_ID]);
  });

  it('tells the trace why a document was rejected, and hides transport details from the wire', async () => {
    const h = await createHarness({ config: { fetch: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3000')) } });
    const response = await authorize(h);
    expect(await response.text()).not.toContain('ECONNREFUSED');
    expect(h.events.find((e) => e.kind === 'cimd.rejected')).toMatchObject({ reason: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('SSRF: the client_id host must not resolve to a special-use address (CIMD §6.5, RFC 6890)', () => {
  const addresses = {
    'internal.example': ['10.0.0.5'],
    'metadata.example': ['169.254.169.254'],
    'router.example': ['192.168.1.1'],
    'ula.example': ['fd00::1'],
    'mixed.example': ['127.0.0.1', '10.1.2.3'],
  };
  it.each([
    { rule: 'a host resolving to 10.x (private-use)', clientId: 'https://internal.example/client.json', address: '10.0.0.5' },
    { rule: 'a host resolving to 169.254.x (link-local, cloud metadata)', clientId: 'https://metadata.example/client.json', address: '169.254.169.254' },
    { rule: 'a host resolving to 192.168.x (private-use)', clientId: 'https://router.example/client.json', address: '192.168.1.1' },
    { rule: 'a host resolving to fc00::/7 (unique-local)', clientId: 'https://ula.example/client.json', address: 'fd00::1' },
    { rule: 'a host with one special-use address among others', clientId: 'https://mixed.example/client.json', address: '10.1.2.3' },
    { rule: 'an IPv4 literal in 10.x', clientId: 'https://10.0.0.7/client.json', address: '10.0.0.7' },
    { rule: 'an IPv6 link-local literal', clientId: 'https://[fe80::1]/client.json', address: 'fe80::1' },
    { rule: 'a host that does not resolve', clientId: 'https://nowhere.example/client.json', address: 'ENOTFOUND' },
  ])('$rule is refused without fetching', async ({ clientId, address }) => {
    const h = await createHarness({ addresses });
    const response = await authorize(h, { client_id: clientId });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ error: 'invalid_client' });
    expect(h.fetched).toEqual([]);
    // The trace says which address; the wire does not (no mapping of internal names through the AS).
    expect(h.events.find((e) => e.kind === 'cimd.rejected')).toMatchObject({ reason: expect.stringContaining(address) });
    expect(body).not.toContain(address);
  });

  it.each<{ rule: string; clientId: string; addresses: Record<string, string[]> }>([
    { rule: 'localhost', clientId: 'https://localhost/client.json', addresses: {} },
    { rule: 'a name resolving to 127.0.0.1', clientId: 'https://client.example/client.json', addresses: { 'client.example': ['127.0.0.1'] } },
    { rule: 'the IPv6 loopback literal', clientId: 'https://[::1]/client.json', addresses: {} },
  ])('loopback ($rule) is refused when the issuer is not on loopback', async ({ clientId, addresses }) => {
    const h = await createHarness({ addresses, config: { issuer: 'https://as.example', dangerouslyAllowLoopbackHttp: false } });
    const response = await authorize(h, { client_id: clientId });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    expect(h.fetched).toEqual([]);
  });

  it('loopback is fetched when the issuer itself is on loopback (the demo)', async () => {
    const h = await createHarness({ routes: serve('/loop.json'), addresses: {} });
    await authorize(h, { client_id: `${CLIENT_BASE}/loop.json` });
    expect(h.resolved).toEqual(['localhost']);
    expect(h.fetched).toEqual([`${CLIENT_BASE}/loop.json`]);
  });
});

describe('cache: valid documents per Cache-Control within bounds; never an error or an invalid one (CIMD §4.4)', () => {
  it('fetches a valid document once for two authorizations', async () => {
    const h = await createHarness();
    expect((await authorize(h)).status).toBe(302);
    expect((await authorize(h)).status).toBe(302);
    expect(h.fetched).toEqual([CLIENT_ID]);
    expect(kinds(h).filter((k) => k === 'cimd.cache_hit')).toHaveLength(1);
  });

  it('fetches again once max-age has passed', async () => {
    const h = await createHarness({ routes: serve('/short.json', {}, { 'Cache-Control': 'max-age=30' }) });
    const clientId = `${CLIENT_BASE}/short.json`;
    await authorize(h, { client_id: clientId });
    h.advance(29_000);
    await authorize(h, { client_id: clientId });
    expect(h.fetched).toHaveLength(1);
    h.advance(2_000);
    await authorize(h, { client_id: clientId });
    expect(h.fetched).toHaveLength(2);
  });

  it.each([
    { header: 'no-store', seconds: 0 },
    { header: 'no-cache', seconds: 0 },
    { header: 'max-age=0', seconds: 0 },
    { header: 'public, max-age=999999', seconds: 3600 },
    { header: undefined, seconds: 300 },
  ])('Cache-Control $header => cached for $seconds s', async ({ header, seconds }) => {
    const h = await createHarness({ routes: serve('/cc.json', {}, header ? { 'Cache-Control': header } : {}) });
    const clientId = `${CLIENT_BASE}/cc.json`;
    await authorize(h, { client_id: clientId });
    await authorize(h, { client_id: clientId });
    expect(h.events.find((e) => e.kind === 'cimd.validated')).toMatchObject({ cache_for_s: seconds });
    expect(h.fetched).toHaveLength(seconds === 0 ? 2 : 1);
  });

  it.each([
    { rule: 'an invalid document (even with a long max-age)', routes: serve('/bad.json', { client_id: CLIENT_ID }, { 'Cache-Control': 'max-age=3600' }) },
    {
      rule: 'an error response (even with a long max-age)',
      routes: (host: Hono) => host.get('/bad.json', (c) => c.json({ error: 'oops' }, 503, { 'Cache-Control': 'max-age=3600' })),
    },
  ])('is fetched again each time: $rule', async ({ routes }) => {
    const h = await createHarness({ routes });
    const clientId = `${CLIENT_BASE}/bad.json`;
    expect((await authorize(h, { client_id: clientId })).status).toBe(400);
    expect((await authorize(h, { client_id: clientId })).status).toBe(400);
    expect(h.fetched).toEqual([clientId, clientId]);
    expect(kinds(h)).not.toContain('cimd.cache_hit');
  });
});
