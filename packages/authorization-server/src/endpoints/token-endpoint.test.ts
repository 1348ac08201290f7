import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  authorize,
  CLIENT_BASE,
  CLIENT_ID,
  clientDocument,
  createHarness,
  ISSUER,
  kinds,
  obtainCode,
  REDIRECT_URI,
  requestToken,
  RESOURCE,
  STACK_FRAME,
  tokenFields,
  VERIFIER,
  type Harness,
  type HarnessOptions,
} from '../../testing/index.ts';

const OTHER_RESOURCE = 'http://localhost:8002/mcp';
const OTHER_CLIENT_ID = `${CLIENT_BASE}/other-client.json`;

/** A second client with its own document, and a second resource the AS knows. */
const twoClientsTwoResources: HarnessOptions = {
  routes: (host) => host.get('/other-client.json', (c) => c.json(clientDocument(OTHER_CLIENT_ID))),
  config: { resources: [RESOURCE, OTHER_RESOURCE] },
};

async function expectTokenError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status);
  // RFC 6749 §5.1: no-store and no-cache on token responses, errors included.
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  const body = await response.text();
  expect(JSON.parse(body)).toMatchObject({ error });
  expect(body).not.toMatch(STACK_FRAME);
}

async function redeem(h: Harness, code: string, overrides: Record<string, string | undefined> = {}) {
  return requestToken(h, tokenFields(code, overrides));
}

describe('POST /token: a valid request', () => {
  it('issues an RFC 9068 JWT that verifies against /jwks, with no-store headers', async () => {
    const h = await createHarness();
    const code = await obtainCode(h, { scope: 'mcp:connect weather:read' });
    const response = await redeem(h, code);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'mcp:connect weather:read' });

    const jwks = (await (await h.app.request(`${ISSUER}/jwks`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(String(body.access_token), createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: RESOURCE,
      typ: 'at+jwt',
      algorithms: ['RS256'],
      currentDate: new Date(Date.UTC(2025, 10, 25, 12, 0, 0)),
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: jwks.keys[0]?.kid });
    expect(payload).toMatchObject({ iss: ISSUER, sub: 'demo-user', aud: RESOURCE, client_id: CLIENT_ID, scope: 'mcp:connect weather:read' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.events.at(-1)).toMatchObject({ kind: 'token.issued', client_id: CLIENT_ID, claims: { jti: payload.jti, aud: RESOURCE } });
    expect(h.app.isRevoked(String(payload.jti))).toBe(false);
  });

  it('accepts a code until just before it expires (the clock is the injected one)', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    h.advance(59_000);
    expect((await redeem(h, code)).status).toBe(200);
  });
});

describe('POST /token: errors (RFC 6749 §5.2, RFC 8707, RFC 7636 §4.6)', () => {
  it.each<{ rule: string; overrides: Record<string, string | undefined>; status?: number; error: string; options?: HarnessOptions }>([
    { rule: 'grant_type client_credentials', overrides: { grant_type: 'client_credentials' }, error: 'unsupported_grant_type' },
    { rule: 'grant_type missing', overrides: { grant_type: undefined }, error: 'invalid_request' },
    { rule: 'code missing', overrides: { code: undefined }, error: 'invalid_request' },
    { rule: 'redirect_uri missing', overrides: { redirect_uri: undefined }, error: 'invalid_request' },
    { rule: 'client_id missing', overrides: { client_id: undefined }, error: 'invalid_request' },
    { rule: 'code_verifier missing', overrides: { code_verifier: undefined }, error: 'invalid_request' },
    { rule: 'code_verifier malformed (too short)', overrides: { code_verifier: 'short' }, error: 'invalid_request' },
    { rule: 'resource missing (MCP requires it)', overrides: { resource: undefined }, error: 'invalid_target' },
    { rule: 'resource unknown', overrides: { resource: 'http://localhost:9999/mcp' }, error: 'invalid_target' },
    { rule: 'unknown code', overrides: { code: 'not-a-code-this-server-issued' }, error: 'invalid_grant' },
    { rule: 'wrong code_verifier', overrides: { code_verifier: 'a'.repeat(43) }, error: 'invalid_grant' },
    { rule: 'a different redirect_uri', overrides: { redirect_uri: 'http://localhost:3000/other' }, error: 'invalid_grant' },
    { rule: 'a loopback redirect_uri with another port than authorized (exact at the token endpoint)', overrides: { redirect_uri: 'http://localhost:3001/callback' }, error: 'invalid_grant' },
    { rule: 'a different client_id', overrides: { client_id: OTHER_CLIENT_ID }, error: 'invalid_grant', options: twoClientsTwoResources },
    { rule: 'a different (known) resource', overrides: { resource: OTHER_RESOURCE }, error: 'invalid_target', options: twoClientsTwoResources },
    { rule: 'a client_secret (public clients only)', overrides: { client_secret: 'x' }, error: 'invalid_client' },
  ])('$rule -> $error', async ({ overrides, error, status = 400, options }) => {
    const h = await createHarness(options);
    const code = await obtainCode(h);
    await expectTokenError(await redeem(h, code, overrides), status, error);
    expect(kinds(h)).not.toContain('token.issued');
  });

  it.each([
    { rule: 'a JSON body', contentType: 'application/json', body: (code: string) => JSON.stringify(tokenFields(code)) },
    { rule: 'no content type', contentType: undefined, body: (code: string) => new URLSearchParams(tokenFields(code) as Record<string, string>).toString() },
  ])('$rule -> invalid_request', async ({ contentType, body }) => {
    const h = await createHarness();
    const code = await obtainCode(h);
    const headers: Record<string, string> = contentType ? { 'Content-Type': contentType } : {};
    const response = await h.app.request(`${ISSUER}/token`, { method: 'POST', headers, body: body(code) });
    await expectTokenError(response, 400, 'invalid_request');
  });

  it('answers JSON even to a client that prefers HTML (RFC 6749 §5.2)', async () => {
    const h = await createHarness();
    const response = await requestToken(h, tokenFields('unknown-code'), { Accept: 'text/html' });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await expectTokenError(response, 400, 'invalid_grant');
  });

  it('a repeated parameter -> invalid_request (RFC 6749 §3.2)', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    const body = `${new URLSearchParams(tokenFields(code) as Record<string, string>)}&code=${code}`;
    const response = await h.app.request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    await expectTokenError(response, 400, 'invalid_request');
  });

  it('client authentication via the Authorization header -> 401 invalid_client with WWW-Authenticate (RFC 6749 §5.2)', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    const response = await requestToken(h, tokenFields(code), { Authorization: `Basic ${btoa('client:secret')}` });
    expect(response.headers.get('www-authenticate')).toBe(`Basic realm="${ISSUER}"`);
    await expectTokenError(response, 401, 'invalid_client');
  });

  it('an expired code -> invalid_grant (RFC 6749 §4.1.2; the injected clock moves 61 s)', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    h.advance(61_000);
    await expectTokenError(await redeem(h, code), 400, 'invalid_grant');
  });
});

describe('POST /token: single use (RFC 6749 §4.1.2)', () => {
  it('a replayed code -> invalid_grant, and the token it issued is revoked', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    const first = (await (await redeem(h, code)).json()) as { access_token: string };
    const jti = JSON.parse(atob(first.access_token.split('.')[1] as string)).jti as string;
    expect(h.app.isRevoked(jti)).toBe(false);

    await expectTokenError(await redeem(h, code), 400, 'invalid_grant');
    expect(h.app.isRevoked(jti)).toBe(true);
    expect(h.events.find((e) => e.kind === 'code.replayed')).toMatchObject({ client_id: CLIENT_ID, revoked_tokens: 1 });
  });

  it('a wrong verifier burns the code: the right verifier afterwards fails too (decision: one attempt per code)', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    await expectTokenError(await redeem(h, code, { code_verifier: 'b'.repeat(43) }), 400, 'invalid_grant');
    await expectTokenError(await redeem(h, code, { code_verifier: VERIFIER }), 400, 'invalid_grant');
  });

  it("malformed requests do not disturb another client's code (checks before the code is looked up)", async () => {
    const h = await createHarness(twoClientsTwoResources);
    const codeA = await obtainCode(h);
    const otherClient = { client_id: OTHER_CLIENT_ID };
    // Client B's malformed requests, some of them even carrying A's code.
    await expectTokenError(await redeem(h, codeA, { ...otherClient, code_verifier: undefined }), 400, 'invalid_request');
    await expectTokenError(await redeem(h, codeA, { ...otherClient, grant_type: 'password' }), 400, 'unsupported_grant_type');
    await expectTokenError(await redeem(h, codeA, { ...otherClient, resource: undefined }), 400, 'invalid_target');
    await expectTokenError(await redeem(h, 'garbage', otherClient), 400, 'invalid_grant');
    const json = await h.app.request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(tokenFields(codeA, otherClient)),
    });
    await expectTokenError(json, 400, 'invalid_request');
    // Client A still redeems its code.
    const response = await redeem(h, codeA);
    expect(response.status).toBe(200);
  });

  it('the redirect_uri of the token request is the one authorized, loopback port included', async () => {
    const h = await createHarness();
    const response = await authorize(h, { redirect_uri: 'http://localhost:49152/callback' });
    const code = new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
    expect((await redeem(h, code, { redirect_uri: 'http://localhost:49152/callback' })).status).toBe(200);
    expect(REDIRECT_URI).not.toBe('http://localhost:49152/callback');
  });
});
