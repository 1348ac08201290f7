import { describe, expect, it } from 'vitest';
import {
  authorizationParams,
  authorize,
  CLIENT_ID,
  clientDocument,
  createHarness,
  ISSUER,
  kinds,
  REDIRECT_URI,
  RESOURCE,
  STACK_FRAME,
} from '../../testing/index.ts';

describe('GET /authorize: success', () => {
  it('redirects to the redirect_uri with code, state and iss (RFC 6749 §4.1.2, RFC 9207 §2)', async () => {
    const h = await createHarness();
    const response = await authorize(h);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(kinds(h)).toEqual(expect.arrayContaining(['cimd.validated', 'code.issued']));
  });

  it('omits state from the redirect when the client sent none', async () => {
    const h = await createHarness();
    const location = new URL((await authorize(h, { state: undefined })).headers.get('location') ?? '');
    expect(location.searchParams.has('code')).toBe(true);
    expect(location.searchParams.has('state')).toBe(false);
  });

  it('grants the default (base) scope when scope is omitted (RFC 6749 §3.3)', async () => {
    const h = await createHarness();
    await authorize(h, { scope: undefined });
    expect(h.events.find((e) => e.kind === 'code.issued')).toMatchObject({ scope: 'mcp:connect', resource: RESOURCE });
  });

  it('accepts a loopback redirect_uri that differs from the registered one in its port only (RFC 8252 §7.3)', async () => {
    const h = await createHarness();
    const response = await authorize(h, { redirect_uri: 'http://localhost:49152/callback' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/^http:\/\/localhost:49152\/callback\?code=/);
  });

  it('reports the auto-approved consent with the client_id host and the loopback-only warning (CIMD §6.4)', async () => {
    const h = await createHarness();
    await authorize(h);
    const consent = h.events.find((e) => e.kind === 'consent.auto_approved');
    expect(consent).toMatchObject({ client_id: CLIENT_ID, client_host: 'localhost:3000', redirect_host: 'localhost:3000', sub: 'demo-user', loopback_redirects_only: true });
    expect(consent?.spec).toMatch(/DEVIATION/);
  });

  it('does not warn when the client also has an https redirect URI', async () => {
    const h = await createHarness({
      routes: (host) =>
        host.get('/mixed.json', (c) =>
          c.json(clientDocument('http://localhost:3000/mixed.json', { redirect_uris: [REDIRECT_URI, 'https://app.example/cb'] })),
        ),
    });
    await authorize(h, { client_id: 'http://localhost:3000/mixed.json' });
    expect(h.events.find((e) => e.kind === 'consent.auto_approved')).toMatchObject({ loopback_redirects_only: false });
  });
});

describe('GET /authorize: an invalid redirect_uri is shown, never redirected to (RFC 6749 §4.1.2.1)', () => {
  it.each([
    { rule: 'redirect_uri missing', overrides: { redirect_uri: undefined }, error: 'invalid_request' },
    { rule: 'redirect_uri not registered', overrides: { redirect_uri: 'http://localhost:3000/elsewhere' }, error: 'invalid_request' },
    { rule: 'another loopback host than registered', overrides: { redirect_uri: 'http://127.0.0.1:3000/callback' }, error: 'invalid_request' },
    { rule: 'a registered URI plus a query', overrides: { redirect_uri: `${REDIRECT_URI}?x=1` }, error: 'invalid_request' },
    { rule: 'a different case (exact match)', overrides: { redirect_uri: 'http://LOCALHOST:3000/callback' }, error: 'invalid_request' },
    { rule: 'an attacker host', overrides: { redirect_uri: 'https://attacker.example/callback' }, error: 'invalid_request' },
    { rule: 'redirect_uri repeated', overrides: {}, extra: `&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`, error: 'invalid_request' },
  ])('$rule -> 400 $error, no Location', async ({ overrides, extra, error }) => {
    const h = await createHarness();
    const url = `${ISSUER}/authorize?${authorizationParams(overrides)}${extra ?? ''}`;
    const response = await h.app.request(url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error });
    expect(text).not.toMatch(STACK_FRAME);
  });

  it('renders the shown error as HTML for a browser (Accept: text/html)', async () => {
    const h = await createHarness();
    const response = await authorize(h, { redirect_uri: 'https://attacker.example/cb' }, { Accept: 'text/html' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('invalid_request');
  });
});

describe('GET /authorize: later errors redirect with error, state and iss (RFC 6749 §4.1.2.1, RFC 9207)', () => {
  it.each([
    { rule: 'response_type missing', overrides: { response_type: undefined }, error: 'invalid_request' },
    { rule: 'response_type token (implicit, removed in OAuth 2.1)', overrides: { response_type: 'token' }, error: 'unsupported_response_type' },
    { rule: 'code_challenge missing (PKCE required)', overrides: { code_challenge: undefined }, error: 'invalid_request' },
    { rule: 'code_challenge_method plain', overrides: { code_challenge_method: 'plain' }, error: 'invalid_request' },
    { rule: 'code_challenge_method missing (means plain)', overrides: { code_challenge_method: undefined }, error: 'invalid_request' },
    { rule: 'code_challenge not 43 base64url chars', overrides: { code_challenge: 'too-short' }, error: 'invalid_request' },
    { rule: 'code_challenge with a padding char', overrides: { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c=' }, error: 'invalid_request' },
    { rule: 'resource missing (MCP requires it)', overrides: { resource: undefined }, error: 'invalid_target' },
    { rule: 'resource unknown', overrides: { resource: 'http://localhost:8001/other' }, error: 'invalid_target' },
    { rule: 'resource with a fragment', overrides: { resource: `${RESOURCE}#frag` }, error: 'invalid_target' },
    { rule: 'resource not absolute', overrides: { resource: '/mcp' }, error: 'invalid_target' },
    { rule: 'scope unknown', overrides: { scope: 'mcp:connect admin' }, error: 'invalid_scope' },
    { rule: 'scope malformed (double space)', overrides: { scope: 'mcp:connect  weather:read' }, error: 'invalid_scope' },
  ])('$rule -> 302 error=$error', async ({ overrides, error }) => {
    const h = await createHarness();
    const response = await authorize(h, overrides);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(location.searchParams.has('code')).toBe(false);
    expect(location.href).not.toMatch(STACK_FRAME);
    expect(kinds(h)).not.toContain('code.issued');
    expect(h.events.at(-1)).toMatchObject({ kind: 'request.rejected', status: 302, error, location: location.href });
  });

  it.each([
    { rule: 'two resources (single-audience tokens)', extra: `&resource=${encodeURIComponent('http://localhost:8001/other')}`, error: 'invalid_target' },
    { rule: 'scope repeated', extra: '&scope=weather%3Aread', error: 'invalid_request' },
    { rule: 'response_type repeated', extra: '&response_type=code', error: 'invalid_request' },
  ])('$rule -> 302 error=$error', async ({ extra, error }) => {
    const h = await createHarness();
    const response = await h.app.request(`${ISSUER}/authorize?${authorizationParams()}${extra}`);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('error')).toBe(error);
  });

  it('a resource differing only in scheme/host case is the configured one (MCP: accept uppercase; RFC 3986 §6.2.2)', async () => {
    const h = await createHarness();
    const response = await authorize(h, { resource: 'HTTP://LOCALHOST:8001/mcp' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain('code=');
    expect(h.events.find((e) => e.kind === 'code.issued')).toMatchObject({ resource: RESOURCE });
  });
});
