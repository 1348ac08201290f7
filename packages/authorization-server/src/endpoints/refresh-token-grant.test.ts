import { describe, expect, it } from 'vitest';
import {
  CLIENT_BASE,
  clientDocument,
  createHarness,
  ISSUER,
  obtainCode,
  requestToken,
  RESOURCE,
  STACK_FRAME,
  tokenFields,
  type Harness,
  type HarnessOptions,
} from '../../testing/index.ts';

const REFRESHING_CLIENT = `${CLIENT_BASE}/refreshing-client.json`;
const OTHER_CLIENT = `${CLIENT_BASE}/other-refreshing-client.json`;
const OTHER_RESOURCE = 'http://localhost:8002/mcp';

/** A client whose CIMD document lists the refresh_token grant, and a second one; two resources. */
const options = (config: HarnessOptions['config'] = {}): HarnessOptions => ({
  routes: (host) => {
    host.get('/refreshing-client.json', (c) => c.json(clientDocument(REFRESHING_CLIENT, { grant_types: ['authorization_code', 'refresh_token'] })));
    host.get('/other-refreshing-client.json', (c) => c.json(clientDocument(OTHER_CLIENT, { grant_types: ['authorization_code', 'refresh_token'] })));
  },
  config: { resources: [RESOURCE, OTHER_RESOURCE], accessTokenTtlSeconds: 600, ...config },
});

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  expires_in: number;
}

async function json(response: Response): Promise<TokenResponse> {
  expect(response.status).toBe(200);
  return (await response.json()) as TokenResponse;
}

function claims(accessToken: string): { jti: string; iat: number; exp: number } {
  return JSON.parse(atob(accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
}

function jti(accessToken: string): string {
  return claims(accessToken).jti;
}

/** Authorizes the refreshing client for `scope` and redeems the code. */
async function grant(h: Harness, scope = 'mcp:connect weather:read', client_id = REFRESHING_CLIENT): Promise<TokenResponse> {
  const code = await obtainCode(h, { client_id, scope });
  return json(await requestToken(h, tokenFields(code, { client_id })));
}

function refresh(h: Harness, refresh_token: string, overrides: Record<string, string | undefined> = {}) {
  return requestToken(h, { grant_type: 'refresh_token', refresh_token, client_id: REFRESHING_CLIENT, resource: RESOURCE, ...overrides });
}

async function expectError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = await response.text();
  expect(JSON.parse(body)).toMatchObject({ error });
  expect(body).not.toMatch(STACK_FRAME);
}

/** Past the access token's lifetime: the one moment this AS accepts a refresh. */
const EXPIRED = 600_000;

describe('refresh tokens are issued to clients that list the refresh_token grant', () => {
  it('the metadata advertises the grant (RFC 8414 grant_types_supported)', async () => {
    const h = await createHarness();
    expect(h.app.metadata.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
  });

  it('a client whose document lists refresh_token gets one with its access token', async () => {
    const h = await createHarness(options());
    const tokens = await grant(h);
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a client whose document does not list it gets none', async () => {
    const h = await createHarness(options());
    const code = await obtainCode(h);
    const body = await json(await requestToken(h, tokenFields(code)));
    expect(body).not.toHaveProperty('refresh_token');
  });
});

describe('the trace follows one grant chain (the grader judges step-up per session)', () => {
  it("token.issued repeats the authorization request's code_challenge and names the family it started; token.refreshed names the same family", async () => {
    const h = await createHarness(options());
    const first = await grant(h);
    const issued = h.events.find((e) => e.kind === 'token.issued');
    const received = h.events.find((e) => e.kind === 'authorization.received');
    expect(issued).toMatchObject({ code_challenge: received?.kind === 'authorization.received' ? received.params.code_challenge : 'absent', family: expect.any(String) });
    await json(await refresh(h, first.refresh_token!));
    const refreshed = h.events.find((e) => e.kind === 'token.refreshed');
    expect(refreshed).toMatchObject({ family: issued?.kind === 'token.issued' ? issued.family : 'absent' });
  });
});

describe('rotation (OAuth 2.1 §4.3.1) and reuse detection (RFC 9700 §4.14.2)', () => {
  it('every refresh answers a new refresh token and a new access token with the granted scope', async () => {
    const h = await createHarness(options());
    const first = await grant(h);
    h.advance(EXPIRED);
    const second = await json(await refresh(h, first.refresh_token!));
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.scope).toBe('mcp:connect weather:read');
    h.advance(EXPIRED);
    expect((await refresh(h, second.refresh_token!)).status).toBe(200);
  });

  it('reusing a rotated refresh token is refused and revokes the whole family, its access tokens included', async () => {
    const h = await createHarness(options());
    const first = await grant(h);
    h.advance(EXPIRED);
    const second = await json(await refresh(h, first.refresh_token!));
    // The attacker (or the client) presents the rotated-out token again.
    await expectError(await refresh(h, first.refresh_token!), 400, 'invalid_grant');
    expect(h.app.isRevoked(jti(second.access_token))).toBe(true);
    expect(h.events.find((e) => e.kind === 'refresh_token.reused')).toMatchObject({ client_id: REFRESHING_CLIENT, revoked_tokens: 1 });
    // The current refresh token is dead too.
    h.advance(EXPIRED);
    await expectError(await refresh(h, second.refresh_token!), 400, 'invalid_grant');
  });

  it('replaying the authorization code revokes the refresh token family it started (RFC 6749 §4.1.2)', async () => {
    const h = await createHarness(options());
    const code = await obtainCode(h, { client_id: REFRESHING_CLIENT });
    const first = await json(await requestToken(h, tokenFields(code, { client_id: REFRESHING_CLIENT })));
    await expectError(await requestToken(h, tokenFields(code, { client_id: REFRESHING_CLIENT })), 400, 'invalid_grant');
    expect(h.app.isRevoked(jti(first.access_token))).toBe(true);
    h.advance(EXPIRED);
    await expectError(await refresh(h, first.refresh_token!), 400, 'invalid_grant');
  });
});

describe('a family revocation reaches the resource server (RFC 7662 introspection reads the same record)', () => {
  it('after a reuse, introspection answers active: false for the access token the family issued', async () => {
    const rs = { client_id: 'weather-rs', client_secret: 's'.repeat(40), resource: RESOURCE };
    const h = await createHarness(options({ introspectionClients: [rs] }));
    const introspect = async (token: string) => {
      const response = await h.app.request(`${ISSUER}/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${rs.client_id}:${rs.client_secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token }).toString(),
      });
      return ((await response.json()) as { active: boolean }).active;
    };
    const first = await grant(h);
    h.advance(EXPIRED);
    const second = await json(await refresh(h, first.refresh_token!));
    expect(await introspect(second.access_token)).toBe(true);
    await refresh(h, first.refresh_token!); // the reuse
    expect(await introspect(second.access_token)).toBe(false);
  });
});

describe('binding and scope (RFC 6749 §6, RFC 8707 §2.2)', () => {
  it('a refresh may narrow the scope; the family keeps the original scope for the next one', async () => {
    const h = await createHarness(options());
    const first = await grant(h);
    h.advance(EXPIRED);
    const narrowed = await json(await refresh(h, first.refresh_token!, { scope: 'mcp:connect' }));
    expect(narrowed.scope).toBe('mcp:connect');
    h.advance(EXPIRED);
    const again = await json(await refresh(h, narrowed.refresh_token!));
    expect(again.scope).toBe('mcp:connect weather:read');
  });

  it.each([
    { rule: 'a wider scope than granted', overrides: { scope: 'mcp:connect weather:read' }, scope: 'mcp:connect', error: 'invalid_scope' },
    { rule: 'a malformed scope', overrides: { scope: 'mcp:connect  weather:read' }, scope: 'mcp:connect weather:read', error: 'invalid_scope' },
    { rule: 'another resource than the grant covered', overrides: { resource: OTHER_RESOURCE }, error: 'invalid_target' },
    { rule: 'an unknown resource', overrides: { resource: 'http://localhost:9999/mcp' }, error: 'invalid_target' },
    { rule: 'no resource (MCP requires it on every token request)', overrides: { resource: undefined }, error: 'invalid_target' },
    { rule: 'another client presenting it', overrides: { client_id: OTHER_CLIENT }, error: 'invalid_grant' },
    { rule: 'no client_id', overrides: { client_id: undefined }, error: 'invalid_request' },
    { rule: 'an unknown refresh token', overrides: { refresh_token: 'x'.repeat(43) }, error: 'invalid_grant' },
    { rule: 'no refresh token', overrides: { refresh_token: undefined }, error: 'invalid_request' },
  ])('$rule -> $error, and the token is not rotated', async ({ overrides, scope, error }) => {
    const h = await createHarness(options());
    const first = await grant(h, scope);
    h.advance(EXPIRED);
    await expectError(await refresh(h, first.refresh_token!, overrides), 400, error);
    expect((await refresh(h, first.refresh_token!)).status).toBe(200);
  });
});

describe('lifetimes: absolute and idle (injected clock)', () => {
  it('the family dies refreshTokenIdleSeconds after its last use', async () => {
    const h = await createHarness(options({ refreshTokenIdleSeconds: 3600 }));
    const first = await grant(h);
    h.advance(3000_000);
    const second = await json(await refresh(h, first.refresh_token!));
    h.advance(3599_000);
    const third = await json(await refresh(h, second.refresh_token!));
    h.advance(3600_000);
    await expectError(await refresh(h, third.refresh_token!), 400, 'invalid_grant');
  });

  it('the family dies refreshTokenAbsoluteSeconds after the authorization, however active', async () => {
    const h = await createHarness(options({ refreshTokenIdleSeconds: 3600, refreshTokenAbsoluteSeconds: 7200 }));
    let current = (await grant(h)).refresh_token!;
    for (let i = 0; i < 3; i += 1) {
      h.advance(2000_000);
      current = (await json(await refresh(h, current))).refresh_token!;
    }
    h.advance(1200_000); // 7,200 s after the authorization
    const response = await refresh(h, current);
    await expectError(response, 400, 'invalid_grant');
  });
});

describe('a resource may have its own access token lifetime (accessTokenTtlSecondsByResource)', () => {
  it('tokens for that resource live its lifetime, from the code and from every refresh; others keep the default', async () => {
    const h = await createHarness(options({ accessTokenTtlSecondsByResource: { [OTHER_RESOURCE]: 1 } }));
    const short = await json(await requestToken(h, tokenFields(await obtainCode(h, { client_id: REFRESHING_CLIENT, resource: OTHER_RESOURCE }), { client_id: REFRESHING_CLIENT, resource: OTHER_RESOURCE })));
    expect(short.expires_in).toBe(1);
    expect(claims(short.access_token).exp - claims(short.access_token).iat).toBe(1);
    h.advance(1000);
    const refreshed = await json(await refresh(h, short.refresh_token!, { resource: OTHER_RESOURCE }));
    expect(refreshed.expires_in).toBe(1);
    expect((await grant(h)).expires_in).toBe(600);
  });
});

describe('RFC 6749 §6 has no "too early": a valid refresh is accepted at any time, unless the SDK 1.x accommodation is on', () => {
  it('by default, a refresh while the newest access token is still valid is accepted', async () => {
    const h = await createHarness(options());
    const first = await grant(h);
    expect((await refresh(h, first.refresh_token!)).status).toBe(200);
  });

  it('accommodateSdk1StepUp: refused with invalid_grant, the family intact; accepted within the last 60 s', async () => {
    const h = await createHarness(options({ accommodateSdk1StepUp: true }));
    const first = await grant(h);
    await expectError(await refresh(h, first.refresh_token!), 400, 'invalid_grant');
    h.advance(540_000); // 60 s left
    expect((await refresh(h, first.refresh_token!)).status).toBe(200);
  });

});

describe('the store of refresh token families is bounded', () => {
  it('when full, a grant gets its access token without a refresh token (never an error)', async () => {
    const h = await createHarness(options({ maxRefreshFamilies: 2 }));
    expect((await grant(h)).refresh_token).toBeDefined();
    expect((await grant(h)).refresh_token).toBeDefined();
    const third = await grant(h);
    expect(third.access_token).toEqual(expect.any(String));
    expect(third).not.toHaveProperty('refresh_token');
    expect(h.app.refreshTokens.size).toBe(2);
  });
});

describe('registered clients (RFC 7591) ask for refresh tokens with grant_types', () => {
  it('registers refresh_token when asked, and the client gets refresh tokens', async () => {
    const h = await createHarness(options());
    const registration = await h.app.request(`${ISSUER}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_name: 'r', redirect_uris: ['http://localhost:3000/callback'], grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none' }),
    });
    const { client_id, grant_types } = (await registration.json()) as { client_id: string; grant_types: string[] };
    expect(grant_types).toEqual(['authorization_code', 'refresh_token']);
    const tokens = await grant(h, 'mcp:connect', client_id);
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });
});
