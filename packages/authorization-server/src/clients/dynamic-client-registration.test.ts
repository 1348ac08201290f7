import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  authorize,
  CLIENT_ID,
  createHarness,
  ISSUER,
  kinds,
  obtainCode,
  REDIRECT_URI,
  register,
  registerClient,
  registrationRequest,
  requestToken,
  RESOURCE,
  STACK_FRAME,
  tokenFields,
  type Harness,
  expectShownError,
} from '../../testing/index.ts';

/** The harness clock starts here (testing.ts). */
const NOW_S = Date.UTC(2025, 10, 25, 12, 0, 0) / 1000;

describe('POST /register: a public client is registered (RFC 7591 §3.2.1)', () => {
  it('answers 201 with the client information: a non-URL client_id, the registered metadata, no secret, no-store', async () => {
    const h = await createHarness();
    const response = await register(h);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      client_id: expect.stringMatching(/^dcr_[A-Za-z0-9_-]{22}$/),
      client_id_issued_at: NOW_S,
      client_name: 'Registered Test Client',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    // CIMD §6.9: a registered id never looks like a metadata document URL.
    expect(body.client_id).not.toMatch(/^https?:/i);
    expect(h.events.at(-1)).toMatchObject({ kind: 'client.registered', client_id: body.client_id, redirect_uris: [REDIRECT_URI] });
    expect(h.events.at(-1)?.spec).toMatch(/RFC 7591 §3\.2\.1/);
  });

  it('gives every registration its own client_id', async () => {
    const h = await createHarness();
    const ids = new Set([await registerClient(h), await registerClient(h), await registerClient(h)]);
    expect(ids.size).toBe(3);
  });

  it('fills in what was omitted, registers refresh_token, ignores unknown members and returns what it registered (RFC 7591 §2, §3.2.1)', async () => {
    const h = await createHarness();
    const response = await register(h, {
      redirect_uris: [REDIRECT_URI, 'https://app.example/cb', REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'weather:read mcp:connect weather:read',
      logo_uri: 'https://app.example/logo.png',
      software_id: 'x',
      client_secret: 'chosen-by-the-client',
      client_name: null,
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      client_id: expect.any(String),
      client_id_issued_at: NOW_S,
      redirect_uris: [REDIRECT_URI, 'https://app.example/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'weather:read mcp:connect',
    });
    expect(h.events.at(-1)?.spec).toMatch(/"none" substituted/);
  });

  it('accepts application/json with a charset parameter', async () => {
    const h = await createHarness();
    const response = await register(h, registrationRequest(), { 'Content-Type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(201);
  });

  it('lets a browser-based client on an allowed origin register (CORS, preflight included)', async () => {
    const h = await createHarness({ config: { allowedOrigins: ['http://localhost:6274'] } });
    const origin = { Origin: 'http://localhost:6274' };
    const preflight = await h.app.request(`${ISSUER}/register`, {
      method: 'OPTIONS',
      headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    const response = await register(h, registrationRequest(), origin);
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
  });
});

describe('a registered client uses the authorization code grant like any other', () => {
  it('authorize -> token -> a JWT whose client_id is the registered id; nothing is fetched', async () => {
    const h = await createHarness();
    const clientId = await registerClient(h);
    const code = await obtainCode(h, { client_id: clientId });
    const consent = h.events.find((e) => e.kind === 'consent.auto_approved');
    expect(consent).toMatchObject({ client_id: clientId, client_host: 'localhost:3000', loopback_redirects_only: true });
    expect(consent?.spec).toMatch(/RFC 7591/);

    const response = await requestToken(h, tokenFields(code, { client_id: clientId }));
    expect(response.status).toBe(200);
    const { access_token } = (await response.json()) as { access_token: string };
    const jwks = (await (await h.app.request(`${ISSUER}/jwks`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(access_token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: RESOURCE,
      typ: 'at+jwt',
      currentDate: new Date(NOW_S * 1000),
    });
    expect(payload).toMatchObject({ client_id: clientId, sub: 'demo-user' });
    expect(h.fetched).toEqual([]);
    expect(kinds(h)).toEqual(expect.arrayContaining(['client.registered', 'code.issued', 'token.issued']));
    expect(kinds(h)).not.toContain('cimd.fetched');
  });

  it('a loopback redirect URI may differ in its port only (RFC 8252 §7.3), as for CIMD clients', async () => {
    const h = await createHarness();
    const clientId = await registerClient(h);
    const response = await authorize(h, { client_id: clientId, redirect_uri: 'http://localhost:49152/callback' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/^http:\/\/localhost:49152\/callback\?code=/);
  });

  it("another client's id at the token endpoint -> invalid_grant (the code is bound to the registered client)", async () => {
    const h = await createHarness();
    const code = await obtainCode(h, { client_id: await registerClient(h) });
    const response = await requestToken(h, tokenFields(code, { client_id: CLIENT_ID }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('GET /authorize with a client_id that is not a URL: shown, never redirected (RFC 6749 §4.1.2.1)', () => {
  it.each<{ rule: string; setup: (h: Harness) => Promise<Record<string, string>>; error: string }>([
    { rule: 'an id this server never issued', setup: async () => ({ client_id: 'dcr_AAAAAAAAAAAAAAAAAAAAAA' }), error: 'invalid_client' },
    {
      rule: 'an id another server instance issued (registrations are per instance)',
      setup: async () => ({ client_id: await registerClient(await createHarness()) }),
      error: 'invalid_client',
    },
    {
      rule: 'a registered client, a redirect_uri it did not register',
      setup: async (h) => ({ client_id: await registerClient(h), redirect_uri: 'http://localhost:3000/elsewhere' }),
      error: 'invalid_request',
    },
    {
      rule: "a registered client, another registered client's redirect_uri",
      setup: async (h) => {
        await registerClient(h, { redirect_uris: ['https://other.example/cb'] });
        return { client_id: await registerClient(h), redirect_uri: 'https://other.example/cb' };
      },
      error: 'invalid_request',
    },
  ])('$rule -> 400 $error, no Location', async ({ setup, error }) => {
    const h = await createHarness();
    const response = await authorize(h, await setup(h));
    await expectShownError(response, 400, error);
    expect(kinds(h)).not.toContain('code.issued');
  });
});

describe('POST /register: refusals (RFC 7591 §3.2.2), and nothing is stored', () => {
  const oversized = registrationRequest({ client_name: 'x'.repeat(20_000) });
  it.each<{ rule: string; body: unknown; headers?: Record<string, string>; status?: number; error: string }>([
    // The body: a JSON object sent as application/json (RFC 7591 §3).
    { rule: 'not JSON', body: '{"redirect_uris": [', error: 'invalid_client_metadata' },
    { rule: 'a JSON array', body: [registrationRequest()], error: 'invalid_client_metadata' },
    { rule: 'a JSON string', body: '"hello"', error: 'invalid_client_metadata' },
    { rule: 'JSON null', body: 'null', error: 'invalid_client_metadata' },
    { rule: 'valid JSON sent as text/plain', body: registrationRequest(), headers: { 'Content-Type': 'text/plain' }, error: 'invalid_client_metadata' },
    { rule: 'a form-encoded body', body: `redirect_uris=${encodeURIComponent(REDIRECT_URI)}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, error: 'invalid_client_metadata' },
    { rule: 'a body over 16 KB', body: oversized, status: 413, error: 'invalid_client_metadata' },
    // redirect_uris (RFC 7591 §5; MCP: localhost or https).
    { rule: 'redirect_uris missing', body: registrationRequest({ redirect_uris: undefined }), error: 'invalid_redirect_uri' },
    { rule: 'redirect_uris empty', body: registrationRequest({ redirect_uris: [] }), error: 'invalid_redirect_uri' },
    { rule: 'redirect_uris a string, not an array', body: registrationRequest({ redirect_uris: REDIRECT_URI }), error: 'invalid_redirect_uri' },
    { rule: 'a non-string redirect URI', body: registrationRequest({ redirect_uris: [REDIRECT_URI, 42] }), error: 'invalid_redirect_uri' },
    { rule: 'a relative redirect URI', body: registrationRequest({ redirect_uris: ['/callback'] }), error: 'invalid_redirect_uri' },
    { rule: 'a redirect URI with a fragment', body: registrationRequest({ redirect_uris: ['https://app.example/cb#x'] }), error: 'invalid_redirect_uri' },
    { rule: 'plain http on a non-loopback host', body: registrationRequest({ redirect_uris: ['http://app.example/cb'] }), error: 'invalid_redirect_uri' },
    { rule: 'one good and one bad redirect URI', body: registrationRequest({ redirect_uris: [REDIRECT_URI, 'http://app.example/cb'] }), error: 'invalid_redirect_uri' },
    { rule: 'a javascript: redirect URI', body: registrationRequest({ redirect_uris: ['javascript:alert(1)'] }), error: 'invalid_redirect_uri' },
    { rule: 'a custom-scheme redirect URI', body: registrationRequest({ redirect_uris: ['com.example.app:/callback'] }), error: 'invalid_redirect_uri' },
    // Public clients only: this server issues no secrets.
    ...['client_secret_basic', 'client_secret_post', 'private_key_jwt', 42].map((method) => ({
      rule: `token_endpoint_auth_method ${JSON.stringify(method)}`,
      body: registrationRequest({ token_endpoint_auth_method: method }),
      error: 'invalid_client_metadata',
    })),
    // authorization_code is the only grant, code the only response type.
    { rule: 'grant_types with implicit', body: registrationRequest({ grant_types: ['authorization_code', 'implicit'] }), error: 'invalid_client_metadata' },
    { rule: 'grant_types client_credentials', body: registrationRequest({ grant_types: ['client_credentials'] }), error: 'invalid_client_metadata' },
    { rule: 'grant_types refresh_token only', body: registrationRequest({ grant_types: ['refresh_token'] }), error: 'invalid_client_metadata' },
    { rule: 'grant_types empty', body: registrationRequest({ grant_types: [] }), error: 'invalid_client_metadata' },
    { rule: 'grant_types a string', body: registrationRequest({ grant_types: 'authorization_code' }), error: 'invalid_client_metadata' },
    { rule: 'response_types token', body: registrationRequest({ response_types: ['token'] }), error: 'invalid_client_metadata' },
    { rule: 'response_types code and token', body: registrationRequest({ response_types: ['code', 'token'] }), error: 'invalid_client_metadata' },
    { rule: 'response_types empty', body: registrationRequest({ response_types: [] }), error: 'invalid_client_metadata' },
    // client_name and scope.
    { rule: 'client_name not a string', body: registrationRequest({ client_name: 42 }), error: 'invalid_client_metadata' },
    { rule: 'an unknown scope', body: registrationRequest({ scope: 'mcp:connect admin' }), error: 'invalid_client_metadata' },
    { rule: 'a malformed scope (double space)', body: registrationRequest({ scope: 'mcp:connect  weather:read' }), error: 'invalid_client_metadata' },
    { rule: 'scope an array', body: registrationRequest({ scope: ['mcp:connect'] }), error: 'invalid_client_metadata' },
  ])('$rule -> $error', async ({ body, headers, status = 400, error }) => {
    // A store of one: had the refused request been stored, it would evict the client registered first.
    const h = await createHarness({ config: { maxRegisteredClients: 1 } });
    const first = await registerClient(h);

    const response = await register(h, body, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error, error_description: expect.any(String) });
    expect(text).not.toMatch(STACK_FRAME);
    expect(h.events.at(-1)).toMatchObject({ kind: 'request.rejected', method: 'POST', path: '/register', status, error });

    expect(kinds(h).filter((kind) => kind === 'client.registered')).toHaveLength(1);
    expect((await authorize(h, { client_id: first })).status).toBe(302);
  });
});
