/**
 * The RS token profile: strict RFC 9068 by default, and each named relaxation tested with tokens
 * shaped the way Keycloak, Auth0, Okta and Microsoft Entra ID issue them (signed locally with the
 * test AS's key, so only the SHAPE differs). Each is accepted under its profile, refused under the
 * strict default, and still refused for the rule that no profile relaxes (issuer, audience, expiry).
 */
import { describe, expect, it } from 'vitest';
import {
  createTestSetup,
  mcpRequest,
  parseChallenge,
  rpc,
  TEST_INTROSPECTION,
  TEST_ISSUER,
  TEST_RESOURCE,
  type TestAuthorizationServer,
} from '../testing/index.ts';
import type { InvalidTokenReason } from './invalid-access-token.ts';
import type { TokenProfile } from './token-profile.ts';

const ENTRA_API_CLIENT_ID = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The profiles of the recipes of docs/external-authorization-servers.md ("Bring your own authorization server"). */
const PROFILES = {
  keycloak: { acceptedTypes: ['JWT'], clientIdClaim: 'azp' },
  auth0: { acceptedTypes: ['JWT'], clientIdClaim: 'azp', requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat'], allowOtherAudiences: true },
  auth0Rfc9068: { allowOtherAudiences: true },
  okta: { acceptedTypes: [null], scopeClaim: 'scp', clientIdClaim: 'cid' },
  entra: {
    acceptedTypes: ['JWT'],
    scopeClaim: 'scp',
    clientIdClaim: 'azp',
    audience: ENTRA_API_CLIENT_ID,
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat'],
  },
} satisfies Record<string, TokenProfile>;
type Provider = keyof typeof PROFILES;

/** Tokens as each provider issues them for this MCP server (from their documentation). */
const SHAPES: Record<Provider, (as: TestAuthorizationServer) => Promise<string>> = {
  // Keycloak: typ "JWT", azp names the client, scope a string, aud from an Audience mapper.
  keycloak: (as) =>
    as.mint({
      header: { typ: 'JWT' },
      claims: { client_id: undefined, azp: 'mcp-client', typ: 'Bearer', scope: 'openid profile mcp:connect weather:read', sid: 's-1' },
    }),
  // Auth0 default profile: typ "JWT", azp, no jti, aud = [API identifier, tenant /userinfo].
  auth0: (as) =>
    as.mint({
      header: { typ: 'JWT' },
      claims: { client_id: undefined, jti: undefined, azp: 'auth0-client', aud: [TEST_RESOURCE, `${TEST_ISSUER}/userinfo`], gty: 'authorization_code' },
    }),
  // Auth0 RFC 9068 profile: at+jwt, client_id and jti, but the same two audiences.
  auth0Rfc9068: (as) => as.mint({ claims: { aud: [TEST_RESOURCE, `${TEST_ISSUER}/userinfo`] } }),
  // Okta custom authorization server: no typ header, cid, uid, scp as an array, ver 1.
  okta: (as) =>
    as.mint({
      header: { typ: undefined },
      claims: { client_id: undefined, scope: undefined, cid: '0oa1okta', uid: '00u1', scp: ['mcp:connect', 'weather:read'], ver: 1 },
    }),
  // Entra ID v2 access token: typ "JWT", aud = the API's client ID, scp a string, azp, no jti (uti).
  entra: (as) =>
    as.mint({
      header: { typ: 'JWT' },
      claims: {
        client_id: undefined,
        jti: undefined,
        scope: undefined,
        aud: ENTRA_API_CLIENT_ID,
        azp: 'entra-client',
        scp: 'mcp:connect weather:read',
        uti: 'u-1',
        ver: '2.0',
        tid: 't',
        oid: 'o',
      },
    }),
};

/** Why the strict default refuses each provider's token. */
const STRICT_REFUSAL: Record<Provider, InvalidTokenReason> = {
  keycloak: 'wrong_typ',
  auth0: 'wrong_typ',
  auth0Rfc9068: 'wrong_audience',
  okta: 'wrong_typ',
  entra: 'wrong_audience',
};

async function call(profile: TokenProfile | undefined, token: (as: TestAuthorizationServer) => Promise<string>, tool = 'get_weather') {
  const setup = await createTestSetup(profile ? { tokenProfile: profile } : {});
  const response = await mcpRequest(setup.app, rpc.callTool(tool, tool === 'get_weather' ? { city: 'Oslo' } : {}), { token: await token(setup.as) });
  return { response, setup };
}

describe.each(Object.keys(PROFILES) as Provider[])('a %s-shaped token', (provider) => {
  it('is accepted under its profile, with the client and scopes read from its own claims', async () => {
    const { response, setup } = await call(PROFILES[provider], SHAPES[provider]);
    expect(response.status).toBe(200);
    const [accepted] = setup.eventsOf('token.accepted');
    expect(accepted?.claims.scope?.split(' ')).toEqual(expect.arrayContaining(['mcp:connect', 'weather:read']));
    expect(accepted?.claims.client_id).toMatch(/client|0oa1okta/);
  });

  it(`is refused by the strict RFC 9068 default (${STRICT_REFUSAL[provider]})`, async () => {
    const { response, setup } = await call(undefined, SHAPES[provider]);
    expect(response.status).toBe(401);
    expect(parseChallenge(response.headers.get('www-authenticate'))?.params.error).toBe('invalid_token');
    expect(setup.eventsOf('token.rejected').map((e) => e.reason)).toEqual([STRICT_REFUSAL[provider]]);
  });

  it.each<[string, Record<string, unknown>, InvalidTokenReason]>([
    ['from another issuer (never optional)', { iss: 'https://evil.example/' }, 'wrong_issuer'],
    ['for another audience (never optional)', { aud: 'https://other.example/mcp' }, 'wrong_audience'],
    ['expired (never optional)', { iat: nowSeconds() - 900, exp: nowSeconds() - 600 }, 'expired'],
    ['without a subject (never optional)', { sub: undefined }, 'missing_claim'],
  ])('is still refused under its profile when %s', async (_name, claims, reason) => {
    const { response, setup } = await call(PROFILES[provider], async (as) => {
      // Re-mint the provider's shape with the one claim changed.
      const [, payload] = (await SHAPES[provider](as)).split('.');
      const original = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const header = provider === 'okta' ? { typ: undefined } : provider === 'auth0Rfc9068' ? {} : { typ: 'JWT' };
      return as.mint({ header, claims: { ...Object.fromEntries(Object.keys(original).map((k) => [k, original[k]])), ...claims } });
    });
    expect(response.status).toBe(401);
    expect(setup.eventsOf('token.rejected').map((e) => e.reason)).toEqual([reason]);
  });
});

describe('each relaxation is narrow', () => {
  it.each<[string, TokenProfile, (as: TestAuthorizationServer) => Promise<string>, InvalidTokenReason]>([
    ['typ JWT accepted, an ID token (aud = the client) still is not', PROFILES.keycloak, (as) => as.mint({ header: { typ: 'JWT' }, claims: { aud: 'mcp-client', azp: 'mcp-client', nonce: 'n' } }), 'wrong_audience'],
    ['typ JWT accepted, typ "id_token+jwt" still is not', PROFILES.keycloak, (as) => as.mint({ header: { typ: 'id_token+jwt' }, claims: { azp: 'c' } }), 'wrong_typ'],
    ['no typ accepted (Okta), typ JWT still is not', PROFILES.okta, (as) => as.mint({ header: { typ: 'JWT' }, claims: { cid: 'c', scp: ['mcp:connect'] } }), 'wrong_typ'],
    ['scp accepted, as an array of strings only', PROFILES.okta, (as) => as.mint({ header: { typ: undefined }, claims: { cid: 'c', scp: [1, 2] } }), 'invalid_claim'],
    ['scope stays a string: an array is refused', {}, (as) => as.mint({ claims: { scope: ['mcp:connect'] } }), 'invalid_claim'],
    ['Entra audience is the API client ID, exactly: the resource URL is refused', PROFILES.entra, (as) => as.mint({ header: { typ: 'JWT' }, claims: { azp: 'c', scp: 'mcp:connect' } }), 'wrong_audience'],
    ['other audiences allowed, but this server must be among them', PROFILES.auth0Rfc9068, (as) => as.mint({ claims: { aud: ['https://a.example/', `${TEST_ISSUER}/userinfo`] } }), 'wrong_audience'],
    ['client id read from azp: a token without azp is refused', PROFILES.keycloak, (as) => as.mint({ header: { typ: 'JWT' } }), 'missing_claim'],
  ])('%s', async (_name, profile, token, reason) => {
    const { response, setup } = await call(profile, token, 'whoami');
    expect(response.status).toBe(401);
    expect(setup.eventsOf('token.rejected').map((e) => e.reason)).toEqual([reason]);
  });

  it('a token without any scope claim is 403 insufficient_scope, not 401 (RFC 9068 makes scope a SHOULD)', async () => {
    const { response, setup } = await call(undefined, (as) => as.mint({ claims: { scope: undefined } }), 'whoami');
    expect(response.status).toBe(403);
    expect(parseChallenge(response.headers.get('www-authenticate'))?.params).toMatchObject({ error: 'insufficient_scope', scope: 'mcp:connect' });
    expect(setup.eventsOf('token.accepted')).toHaveLength(1);
  });
});

describe('opaque tokens through RFC 7662 introspection', () => {
  const OPAQUE = 'opaque-2YotnFZFEjr1zCsicMWpAA';
  const active = { active: true, iss: TEST_ISSUER, aud: TEST_RESOURCE, sub: 'alice', client_id: 'c', scope: 'mcp:connect', exp: nowSeconds() + 300 };

  async function opaqueSetup(answer: Record<string, unknown> | 'unreachable', profile: TokenProfile = { opaqueTokens: 'introspect' }) {
    const setup = await createTestSetup({ tokenProfile: profile, introspection: TEST_INTROSPECTION }, { introspection: TEST_INTROSPECTION });
    if (answer === 'unreachable') setup.as.introspection.mode = 'unreachable';
    else setup.as.answer(OPAQUE, answer);
    return { setup, response: await mcpRequest(setup.app, rpc.callTool('whoami'), { token: OPAQUE }) };
  }

  it('an active answer for this server is accepted, the claims taken from it', async () => {
    const { response, setup } = await opaqueSetup(active);
    expect(response.status).toBe(200);
    expect(setup.eventsOf('token.accepted')[0]?.claims).toMatchObject({ sub: 'alice', client_id: 'c', aud: TEST_RESOURCE });
  });

  it.each<[string, Record<string, unknown>, InvalidTokenReason]>([
    ['inactive', { active: false }, 'inactive'],
    ['active for another audience', { ...active, aud: 'http://localhost:8002/mcp' }, 'wrong_audience'],
    ['active with no audience at all (never optional)', { ...active, aud: undefined }, 'wrong_audience'],
    ['active from another issuer', { ...active, iss: 'https://evil.example/' }, 'wrong_issuer'],
    ['active but past its exp', { ...active, exp: nowSeconds() - 600 }, 'expired'],
    ['active without a subject', { ...active, sub: undefined }, 'missing_claim'],
  ])('%s: 401 invalid_token', async (_name, answer, reason) => {
    const { response, setup } = await opaqueSetup(answer);
    expect(response.status).toBe(401);
    expect(parseChallenge(response.headers.get('www-authenticate'))?.params.error).toBe('invalid_token');
    expect(setup.eventsOf('token.rejected').map((e) => e.reason)).toEqual([reason]);
  });

  it('the introspection endpoint unreachable: 503 temporarily_unavailable, never accepted', async () => {
    const { response, setup } = await opaqueSetup('unreachable');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toBe('temporarily_unavailable');
    expect(setup.eventsOf('token.accepted')).toHaveLength(0);
  });

  it('the strict default refuses an opaque token without asking anyone (malformed)', async () => {
    const { response, setup } = await opaqueSetup(active, {});
    expect(response.status).toBe(401);
    expect(setup.eventsOf('token.rejected').map((e) => e.reason)).toEqual(['malformed']);
    expect(setup.as.introspection.calls).toBe(0);
  });
});

describe('profile configuration', () => {
  it.each<[string, TokenProfile, boolean?]>([
    ['requiredClaims without iss', { requiredClaims: ['exp', 'aud', 'sub', 'client_id'] }],
    ['requiredClaims without aud', { requiredClaims: ['iss', 'exp', 'sub', 'client_id'] }],
    ['requiredClaims without the client id claim', { clientIdClaim: 'azp', requiredClaims: ['iss', 'exp', 'aud', 'sub'] }],
    ['no accepted typ at all', { acceptedTypes: [] }],
    ['an empty audience', { audience: '' }],
    ['opaque tokens without introspection credentials', { opaqueTokens: 'introspect' }],
    ['an unknown scope claim', { scopeClaim: 'roles' as 'scp' }],
  ])('refuses %s at build time', async (_name, tokenProfile) => {
    await expect(createTestSetup({ tokenProfile })).rejects.toThrow(/tokenProfile/);
  });
});
