/**
 * The verified-token cache (issue 10): it spares the signature and claim checks for a token seen
 * moments ago, and nothing else. Every bound is checked: at most 60 s, never past `exp`, emptied
 * when the JWK Set is fetched again, a fixed number of entries; a refused token is never cached.
 */
import { createEmitter } from '@mcp-auth-demo/trace';
import type { JWTVerifyGetKey } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuthorizationServerKeys } from './authorization-server-keys.ts';
import { resolveTokenProfile } from './token-profile.ts';
import { createVerifiedTokenCache, VERIFIED_TOKEN_MAX_AGE_MS } from './verified-token-cache.ts';
import { verifyAccessToken } from './verify-access-token.ts';
import { createTestAuthorizationServer, createTestKey, createTestSetup, mcpRequest, rpc, TEST_INTROSPECTION, TEST_RESOURCE, type TestAuthorizationServer } from '../testing/index.ts';

let clock: number;
let as: TestAuthorizationServer;
let keys: ReturnType<typeof createAuthorizationServerKeys>;
/** How many times the signature check asked for a key: once per token actually verified. */
let keyLookups: number;
let getKey: JWTVerifyGetKey;

beforeEach(async () => {
  clock = Date.now();
  as = await createTestAuthorizationServer({ now: () => clock });
  keys = createAuthorizationServerKeys({ issuer: as.issuer, fetch: as.fetch, emit: createEmitter('resource-server', undefined), allowLoopbackHttp: true });
  keyLookups = 0;
  getKey = (header, token) => {
    keyLookups += 1;
    return keys.getKey(header, token);
  };
});

function verify(token: string, cache: ReturnType<typeof createVerifiedTokenCache>) {
  return verifyAccessToken(token, {
    issuer: as.issuer,
    getKey,
    clockToleranceSeconds: 0,
    now: () => clock,
    emit: createEmitter('resource-server', undefined),
    profile: resolveTokenProfile(undefined, TEST_RESOURCE, false),
    cache,
  });
}

const newCache = (maxEntries?: number) => createVerifiedTokenCache({ now: () => clock, keysVersion: () => keys.version, ...(maxEntries ? { maxEntries } : {}) });

describe('a cache of verified tokens, per verifier', () => {
  it('the same token is verified once, then served from the cache with the same claims', async () => {
    const cache = newCache();
    const token = await as.mint();
    const first = await verify(token, cache);
    const second = await verify(token, cache);
    expect(keyLookups).toBe(1);
    expect(second.claims).toEqual(first.claims);
    expect(second.authInfo.token).toBe(token);
  });

  it('never past exp: a cached token that has expired is verified again, and refused', async () => {
    const cache = newCache();
    const token = await as.mint({ claims: { exp: Math.floor(clock / 1000) + 10 } });
    await verify(token, cache);
    clock += 11_000;
    await expect(verify(token, cache)).rejects.toMatchObject({ error: 'invalid_token' });
    expect(keyLookups).toBe(2);
  });

  it(`never longer than ${VERIFIED_TOKEN_MAX_AGE_MS / 1000} s, even for a token valid much longer`, async () => {
    const cache = newCache();
    const token = await as.mint({ claims: { exp: Math.floor(clock / 1000) + 3600 } });
    await verify(token, cache);
    clock += VERIFIED_TOKEN_MAX_AGE_MS - 1_000;
    await verify(token, cache);
    expect(keyLookups).toBe(1);
    clock += 2_000;
    await verify(token, cache);
    expect(keyLookups).toBe(2);
  });

  it('emptied when the JWK Set is fetched again (a withdrawn key stops vouching from memory)', async () => {
    const cache = newCache();
    const token = await as.mint();
    await verify(token, cache);
    expect(cache.size).toBe(1);
    // A token with a new kid makes the keys refetch: the cached entry signed by the old set goes.
    const rotated = await createTestKey('rotated');
    as.publish(rotated);
    await verify(await as.mint({ key: rotated }), cache);
    expect(keys.version).toBe(2);
    await verify(token, cache);
    expect(keyLookups).toBe(3);
  });

  it('bounded: past the maximum number of entries the oldest goes first', async () => {
    const cache = newCache(3);
    const tokens = await Promise.all([1, 2, 3, 4].map((n) => as.mint({ claims: { jti: `t${n}` } })));
    for (const token of tokens) await verify(token, cache);
    expect(cache.size).toBe(3);
    await verify(tokens[3]!, cache); // still cached
    expect(keyLookups).toBe(4);
    await verify(tokens[0]!, cache); // evicted: verified again
    expect(keyLookups).toBe(5);
  });

  it('a refused token is never cached: each attempt is checked again', async () => {
    const cache = newCache();
    const forged = await as.mint({ key: await createTestKey(as.signingKey.kid) });
    await expect(verify(forged, cache)).rejects.toMatchObject({ error: 'invalid_token' });
    await expect(verify(forged, cache)).rejects.toMatchObject({ error: 'invalid_token' });
    expect(cache.size).toBe(0);
    expect(keyLookups).toBe(2);
  });
});

describe('the cache inside the resource server', () => {
  it('each request with a cached token is still traced as accepted and still checked for scope', async () => {
    const setup = await createTestSetup();
    const token = await setup.as.mint({ claims: { scope: 'mcp:connect' } });
    expect((await mcpRequest(setup.app, rpc.callTool('whoami'), { token })).status).toBe(200);
    expect((await mcpRequest(setup.app, rpc.callTool('get_weather', { city: 'Oslo' }), { token })).status).toBe(403);
    expect(setup.eventsOf('token.accepted')).toHaveLength(2);
    expect(setup.as.counts.jwks).toBe(1);
  });

  it('never skips revocation: a cached token that the AS revoked is refused on the next request', async () => {
    const setup = await createTestSetup({ introspection: TEST_INTROSPECTION }, { introspection: TEST_INTROSPECTION });
    const token = await setup.as.mint();
    expect((await mcpRequest(setup.app, rpc.callTool('whoami'), { token })).status).toBe(200);
    expect((await mcpRequest(setup.app, rpc.callTool('whoami'), { token })).status).toBe(200);
    setup.as.revoke(token);
    const refused = await mcpRequest(setup.app, rpc.callTool('whoami'), { token });
    expect(refused.status).toBe(401);
    expect(setup.eventsOf('token.rejected').map((event) => event.reason)).toEqual(['revoked']);
    // Asked on every request, cached or not.
    expect(setup.as.introspection.calls).toBe(3);
  });
});
