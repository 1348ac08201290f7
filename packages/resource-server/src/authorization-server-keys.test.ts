/**
 * RFC 8414 discovery of `jwks_uri` (§3.1 path insertion, §3.3 issuer check, OIDC fallback) and
 * the JWKS cache (jose's createRemoteJWKSet): fetched once, shared by concurrent requests,
 * refetched for an unknown `kid` (rotation, an AS restart) at once or at the end of a short
 * cooldown, never more often, and refreshed when old.
 */
import { authorizationServerMetadataUrls } from '@mcp-auth-demo/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JWKS_MAX_AGE_MS, JWKS_REFETCH_COOLDOWN_MS } from './authorization-server-keys.ts';
import { createTestKey, createTestSetup, mcpRequest, rpc } from '../testing/index.ts';

describe('RFC 8414 §3.1: the metadata URLs tried, in order', () => {
  it.each([
    ['https://as.example.com', ['https://as.example.com/.well-known/oauth-authorization-server', 'https://as.example.com/.well-known/openid-configuration']],
    [
      'https://as.example.com/tenant1/',
      [
        'https://as.example.com/.well-known/oauth-authorization-server/tenant1',
        'https://as.example.com/.well-known/openid-configuration/tenant1',
        'https://as.example.com/tenant1/.well-known/openid-configuration',
      ],
    ],
  ])('%s', (issuer, urls) => {
    expect(authorizationServerMetadataUrls(issuer)).toEqual(urls);
  });
});

describe('discovering the keys of any authorization server from its issuer', () => {
  it('fetches metadata and JWKS once, even for concurrent first requests, and traces it', async () => {
    const setup = await createTestSetup();
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => setup.as.mint()));
    const statuses = await Promise.all(tokens.map(async (token) => (await mcpRequest(setup.app, rpc.initialize(), { token })).status));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await mcpRequest(setup.app, rpc.initialize(), { token: tokens[0] });
    expect(setup.as.counts).toEqual({ metadata: 1, jwks: 1 });
    expect(setup.eventsOf('jwks.fetched')).toEqual([expect.objectContaining({ url: 'http://localhost:9000/jwks', keys: 1 })]);
  });

  it('an issuer with a path: the well-known suffix is inserted before the path', async () => {
    const issuer = 'http://localhost:9000/tenant1';
    const setup = await createTestSetup({ authorizationServer: issuer }, { issuer });
    const res = await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() });
    expect(res.status).toBe(200);
  });

  it('an authorization server with only OpenID Connect Discovery works too', async () => {
    const setup = await createTestSetup({}, { wellKnown: 'openid-configuration' });
    const res = await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() });
    expect(res.status).toBe(200);
  });

  // The last column: metadata fetches after two requests (a failed discovery is not cached).
  it.each([
    ['the metadata names another issuer (RFC 8414 §3.3)', { metadata: { issuer: 'http://localhost:9999' } }, 2],
    ['the metadata has no jwks_uri', { metadata: { jwks_uri: undefined } }, 2],
    ['the jwks_uri is plain http on a non-loopback host', { metadata: { jwks_uri: 'http://keys.example.com/jwks' } }, 2],
    ['the JWKS is not where jwks_uri points', { metadata: { jwks_uri: 'http://localhost:9000/missing' } }, 1],
  ])('%s: 503 temporarily_unavailable, tried again on the next request', async (_name, asOptions, metadataFetches) => {
    const setup = await createTestSetup({}, asOptions);
    const token = await setup.as.mint();
    const res = await mcpRequest(setup.app, rpc.initialize(), { token });

    expect(res.status).toBe(503);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(setup.eventsOf('request.rejected')).toEqual([expect.objectContaining({ status: 503, error: 'temporarily_unavailable' })]);
    expect(setup.eventsOf('token.rejected')).toEqual([]);

    expect((await mcpRequest(setup.app, rpc.initialize(), { token })).status).toBe(503);
    expect(setup.as.counts.metadata).toBe(metadataFetches);
    expect(setup.eventsOf('request.rejected')).toHaveLength(2);
  });

  it('an unreachable authorization server: 503, with no detail of the network error', async () => {
    const setup = await createTestSetup({
      fetch: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9000');
      },
    });
    const res = await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() });
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('ECONNREFUSED');
  });
});

describe('key rotation and the JWKS cache (jose createRemoteJWKSet)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an authorization server restarted with a new key: its new token is accepted on the first request', async () => {
    const setup = await createTestSetup();
    expect((await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() })).status).toBe(200);
    // The restart comes right after the fetch, inside the refetch cooldown: the worst case.
    await setup.as.restart();
    const res = await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() });
    expect(res.status).toBe(200);
    expect(setup.as.counts.jwks).toBe(2);
    expect(setup.eventsOf('token.rejected')).toEqual([]);
  });

  it('an unknown kid after the cooldown is refetched at once, then refused; the cooldown bounds further refetches', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const setup = await createTestSetup();
    expect((await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() })).status).toBe(200);
    expect(setup.as.counts.jwks).toBe(1);

    vi.setSystemTime(Date.now() + JWKS_REFETCH_COOLDOWN_MS + 1);
    const stranger = await createTestKey('unknown-kid');
    const first = await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint({ key: stranger }) });
    expect(first.status).toBe(401);
    expect(setup.as.counts.jwks).toBe(2);
    expect(setup.eventsOf('token.rejected').map((event) => event.reason)).toEqual(['unknown_key']);
  });

  it('a burst of tokens with made-up kids costs at most one JWKS fetch per cooldown', async () => {
    const setup = await createTestSetup();
    expect((await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() })).status).toBe(200);
    const stranger = await createTestKey('made-up');
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => setup.as.mint({ key: stranger, header: { kid: `made-up-${i}` } })));

    const statuses = await Promise.all(tokens.map(async (token) => (await mcpRequest(setup.app, rpc.initialize(), { token })).status));

    expect(statuses).toEqual(tokens.map(() => 401));
    // The first fetch, plus one shared refetch when the cooldown ended (not one per token).
    expect(setup.as.counts.jwks).toBe(2);
  });

  it('a key the authorization server rotated in (published beside the old one) is picked up by one refetch', async () => {
    const setup = await createTestSetup();
    await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() });

    const rotated = await createTestKey('test-key-2');
    setup.as.publish(rotated);
    const res = await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint({ key: rotated }) });
    expect(res.status).toBe(200);
    expect(setup.as.counts.jwks).toBe(2);
    // The old key is still published, so its tokens still verify, with no further fetch.
    expect((await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() })).status).toBe(200);
    expect(setup.as.counts.jwks).toBe(2);
  });

  it('a cached JWKS older than the maximum age is fetched again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const setup = await createTestSetup();
    await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() });
    vi.setSystemTime(Date.now() + JWKS_MAX_AGE_MS + 1_000);
    const res = await mcpRequest(setup.app, rpc.initialize(), { token: await setup.as.mint() });
    expect(res.status).toBe(200);
    expect(setup.as.counts).toEqual({ metadata: 1, jwks: 2 });
  });

  it.each([
    ['not a JWK Set (no keys array)', { keys: 'none' }],
    ['a keys array of non-objects', { keys: [1, 2] }],
  ])('a JWKS endpoint that serves %s: 503 temporarily_unavailable, not a verdict on the token', async (_name, document) => {
    const broken = await createTestSetup({}, { metadata: { jwks_uri: 'http://localhost:9000/bad-jwks' } });
    broken.as.app.get('/bad-jwks', (c) => c.json(document));
    const res = await mcpRequest(broken.app, rpc.initialize(), { token: await broken.as.mint() });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(broken.eventsOf('token.rejected')).toEqual([]);
  });
});
