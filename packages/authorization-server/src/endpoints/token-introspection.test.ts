/**
 * RFC 7662 token introspection: the active answer, every way a token is inactive (always the bare
 * `{"active": false}` of §2.2), and every refusal of the request itself (§2.1, §2.3).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, ISSUER, obtainCode, RESOURCE, requestToken, tokenFields, type Harness } from '../../testing/index.ts';
import type { IntrospectionClient } from '../config.ts';

const OTHER_RESOURCE = 'http://localhost:8002/mcp';
const RS: IntrospectionClient = { client_id: 'weather-rs', client_secret: 's'.repeat(40), resource: RESOURCE };
const OTHER_RS: IntrospectionClient = { client_id: 'other-rs', client_secret: 'o'.repeat(40), resource: OTHER_RESOURCE };

function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

function introspect(h: Harness, body: string, headers: Record<string, string> = { authorization: basic(RS.client_id, RS.client_secret) }) {
  return h.app.request(`${ISSUER}/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

async function issueToken(h: Harness, overrides: Record<string, string | undefined> = {}): Promise<{ code: string; token: string }> {
  const code = await obtainCode(h, overrides);
  const response = await requestToken(h, tokenFields(code, overrides));
  const { access_token } = (await response.json()) as { access_token: string };
  return { code, token: access_token };
}

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ config: { resources: [RESOURCE, OTHER_RESOURCE], introspectionClients: [RS, OTHER_RS] } });
});

describe('RFC 7662 §2.2: the introspection response', () => {
  it('an active token is described by its own claims, no-store', async () => {
    const { token } = await issueToken(h);
    const response = await introspect(h, `token=${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ active: true, iss: ISSUER, aud: RESOURCE, scope: 'mcp:connect', sub: 'demo-user', token_type: 'Bearer' });
    expect(typeof body.jti).toBe('string');
    expect(h.events.find((e) => e.kind === 'token.introspected')).toMatchObject({ caller: 'weather-rs', active: true });
  });

  it.each([
    ['revoked (its code was replayed, RFC 6749 §4.1.2)', 'revoked'],
    ['expired', 'expired'],
    ['meant for another resource server (not allowed to introspect it)', 'other_audience'],
    ['not issued by this AS (garbage)', 'not_issued_here'],
  ])('a token %s is {"active": false} and nothing else', async (_name, reason) => {
    const { code, token } = await issueToken(h);
    let asked = token;
    let headers = { authorization: basic(RS.client_id, RS.client_secret) };
    if (reason === 'revoked') expect((await requestToken(h, tokenFields(code))).status).toBe(400);
    if (reason === 'expired') h.advance(601_000);
    if (reason === 'other_audience') headers = { authorization: basic(OTHER_RS.client_id, OTHER_RS.client_secret) };
    if (reason === 'not_issued_here') asked = `${token.slice(0, -4)}AAAA`;
    const response = await introspect(h, new URLSearchParams({ token: asked }).toString(), headers);
    expect(response.status).toBe(200);
    // RFC 7662 §2.2: "SHOULD NOT include any additional information about an inactive token".
    expect(await response.json()).toEqual({ active: false });
    expect(h.events.filter((e) => e.kind === 'token.introspected').at(-1)).toMatchObject({ active: false, reason });
  });

  it.each([
    ['revoked (its code replayed) after an active answer', 'revoked'],
    ['expired after an active answer', 'expired'],
    ['asked by another resource server after an active answer', 'other_audience'],
  ])('the signature is verified once per token, but a token %s is {"active": false}', async (_name, reason) => {
    const { code, token } = await issueToken(h);
    expect(await (await introspect(h, `token=${token}`)).json()).toMatchObject({ active: true });
    let headers = { authorization: basic(RS.client_id, RS.client_secret) };
    if (reason === 'revoked') expect((await requestToken(h, tokenFields(code))).status).toBe(400);
    if (reason === 'expired') h.advance(600_000);
    if (reason === 'other_audience') headers = { authorization: basic(OTHER_RS.client_id, OTHER_RS.client_secret) };
    const response = await introspect(h, `token=${token}`, headers);
    expect(await response.json()).toEqual({ active: false });
    expect(h.events.filter((e) => e.kind === 'token.introspected').at(-1)).toMatchObject({ active: false, reason });
  });

  it('the other resource server sees its own tokens as active', async () => {
    const { token } = await issueToken(h, { resource: OTHER_RESOURCE });
    const response = await introspect(h, `token=${token}`, { authorization: basic(OTHER_RS.client_id, OTHER_RS.client_secret) });
    expect(await response.json()).toMatchObject({ active: true, aud: OTHER_RESOURCE });
  });
});

describe('RFC 7662 §2.1/§2.3: refused introspection requests', () => {
  const good = basic(RS.client_id, RS.client_secret);
  it.each([
    ['no client authentication (token scanning, §2.1)', 'token=x', null, undefined, 401, 'invalid_client'],
    ['a wrong secret', 'token=x', basic(RS.client_id, 'wrong'.repeat(8)), undefined, 401, 'invalid_client'],
    ['an unknown client', 'token=x', basic('nobody', RS.client_secret), undefined, 401, 'invalid_client'],
    ['a bearer token instead of client credentials', 'token=x', 'Bearer x', undefined, 401, 'invalid_client'],
    ['no token parameter', '', good, undefined, 400, 'invalid_request'],
    ['two token parameters', 'token=a&token=b', good, undefined, 400, 'invalid_request'],
    ['a JSON body', '{"token":"x"}', good, 'application/json', 400, 'invalid_request'],
  ] as const)('%s', async (_name, body, authorization, contentType, status, error) => {
    const headers: Record<string, string> = {};
    if (authorization !== null) headers.authorization = authorization;
    if (contentType !== undefined) headers['content-type'] = contentType;
    const response = await introspect(h, body, headers);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toBe(error);
    expect(response.headers.get('cache-control')).toBe('no-store');
    if (status === 401) expect(response.headers.get('www-authenticate')).toBe(`Basic realm="${ISSUER}"`);
  });

  it('without introspection clients there is no endpoint and no metadata member (RFC 8414 §2)', async () => {
    const plain = await createHarness();
    expect(plain.app.metadata.introspection_endpoint).toBeUndefined();
    expect((await introspect(plain, 'token=x')).status).toBe(404);
    expect(h.app.metadata).toMatchObject({
      introspection_endpoint: `${ISSUER}/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
  });
});

describe('introspection clients are checked when the AS is built', () => {
  it.each([
    ['a secret shorter than 32 characters', [{ ...RS, client_secret: 'short' }], /at least 32 characters/],
    ['a resource this AS does not issue tokens for', [{ ...RS, resource: 'http://localhost:9999/mcp' }], /is not one of resources/],
    ['the same client_id twice', [RS, { ...RS, resource: OTHER_RESOURCE }], /must not repeat a client_id/],
    ['an empty client_id', [{ ...RS, client_id: '' }], /client_id must be a non-empty string/],
  ])('refuses %s', async (_name, introspectionClients, message) => {
    await expect(createHarness({ config: { resources: [RESOURCE, OTHER_RESOURCE], introspectionClients } })).rejects.toThrow(message);
  });
});
