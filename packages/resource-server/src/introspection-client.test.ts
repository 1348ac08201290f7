/**
 * Revocation at the resource server (RFC 7662): a JWT that passes every local check is still
 * refused once the AS says it is inactive; a positive answer is reused no longer than
 * `cacheSeconds`; and when the AS cannot be asked, the answer is 503, never a 500, never "accept".
 */
import { describe, expect, it } from 'vitest';
import { createTestSetup, mcpRequest, parseChallenge, rpc, TEST_INTROSPECTION, TEST_RESOURCE, type IntrospectionMode } from '../testing/index.ts';

const T0 = Date.UTC(2025, 10, 25, 12, 0, 0);

async function setupWithIntrospection(cacheSeconds?: number) {
  let nowMs = T0;
  const setup = await createTestSetup(
    { introspection: { ...TEST_INTROSPECTION, ...(cacheSeconds !== undefined ? { cacheSeconds } : {}) }, now: () => nowMs },
    { introspection: TEST_INTROSPECTION },
  );
  return { ...setup, advance: (ms: number) => (nowMs += ms) };
}

const whoami = rpc.callTool('whoami');

describe('revocation through RFC 7662 introspection', () => {
  it('an active token is confirmed with the AS on every request (default: no cache)', async () => {
    const s = await setupWithIntrospection();
    const token = await s.as.mint();
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    expect(s.as.introspection.calls).toBe(2);
    expect(s.eventsOf('token.introspected')).toHaveLength(0); // no cached answer was used
  });

  it('a token revoked at the AS is refused on the very next request: 401 invalid_token', async () => {
    const s = await setupWithIntrospection();
    const token = await s.as.mint();
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    s.as.revoke(token);
    const response = await mcpRequest(s.app, whoami, { token });
    expect(response.status).toBe(401);
    const challenge = parseChallenge(response.headers.get('www-authenticate'));
    expect(challenge?.params.error).toBe('invalid_token');
    expect(challenge?.params.resource_metadata).toBeDefined();
    expect(s.eventsOf('token.rejected').at(-1)?.reason).toBe('revoked');
  });

  it('with cacheSeconds = 30 a revoked token survives at most 30 s (the stated bound), then is refused', async () => {
    const s = await setupWithIntrospection(30);
    const token = await s.as.mint();
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    s.as.revoke(token);
    s.advance(29_000);
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    expect(s.eventsOf('token.introspected').at(-1)?.cached).toBe(true);
    s.advance(1_000);
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(401);
    expect(s.as.introspection.calls).toBe(2);
  });

  it('a cached positive answer never outlives the token: the local exp check still refuses it', async () => {
    const s = await setupWithIntrospection(300);
    const token = await s.as.mint({ claims: { exp: Math.floor(T0 / 1000) + 60 } });
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    s.advance(120_000);
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(401);
    expect(s.eventsOf('token.rejected').at(-1)?.reason).toBe('expired');
  });

  it('the AS naming another audience for the token is refused (wrong_audience)', async () => {
    const s = await setupWithIntrospection();
    const token = await s.as.mint();
    s.as.answer(token, { active: true, aud: 'http://localhost:8002/mcp' });
    const response = await mcpRequest(s.app, whoami, { token });
    expect(response.status).toBe(401);
    expect(s.eventsOf('token.rejected').at(-1)?.reason).toBe('wrong_audience');
  });

  it('a token refused locally never reaches the AS (no token scanning through this server)', async () => {
    const s = await setupWithIntrospection();
    const token = await s.as.mint({ claims: { aud: 'http://localhost:8002/mcp' } });
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(401);
    expect(s.as.introspection.calls).toBe(0);
  });

  it('without introspection credentials nothing is asked (local checks only)', async () => {
    const s = await createTestSetup({}, { introspection: TEST_INTROSPECTION });
    expect((await mcpRequest(s.app, whoami, { token: await s.as.mint() })).status).toBe(200);
    expect(s.as.introspection.calls).toBe(0);
  });
});

describe('the AS cannot be asked: 503 temporarily_unavailable, never accept, never 500', () => {
  it.each<[string, IntrospectionMode | 'bad-credentials' | 'no-endpoint']>([
    ['the introspection endpoint is unreachable', 'unreachable'],
    ['it answers HTTP 500', 'http-500'],
    ['it answers something that is not JSON', 'not-json'],
    ['it answers JSON without a boolean "active" (RFC 7662 §2.2)', 'no-active'],
    ['it refuses this server\'s credentials (401, RFC 7662 §2.3)', 'bad-credentials'],
    ['the AS metadata names no introspection_endpoint', 'no-endpoint'],
  ])('%s', async (_name, mode) => {
    const s = await createTestSetup(
      { introspection: { ...TEST_INTROSPECTION, ...(mode === 'bad-credentials' ? { clientSecret: 'x'.repeat(40) } : {}) } },
      mode === 'no-endpoint' ? {} : { introspection: TEST_INTROSPECTION },
    );
    if (mode !== 'bad-credentials' && mode !== 'no-endpoint') s.as.introspection.mode = mode;
    const response = await mcpRequest(s.app, whoami, { token: await s.as.mint() });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toBe('temporarily_unavailable');
    expect(s.eventsOf('token.accepted')).toHaveLength(0);
    expect(s.eventsOf('request.rejected').at(-1)).toMatchObject({ status: 503, error: 'temporarily_unavailable' });
  });

  it('the endpoint comes back: the next request is checked and accepted', async () => {
    const s = await setupWithIntrospection();
    const token = await s.as.mint();
    s.as.introspection.mode = 'unreachable';
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(503);
    s.as.introspection.mode = 'answer';
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
  });
});

describe('introspection configuration', () => {
  it.each([
    ['an empty client id', { clientId: '', clientSecret: 'x' }],
    ['a negative cache lifetime', { ...TEST_INTROSPECTION, cacheSeconds: -1 }],
    ['a cache lifetime above 300 s', { ...TEST_INTROSPECTION, cacheSeconds: 301 }],
    ['an http endpoint on a public host', { ...TEST_INTROSPECTION, endpoint: 'http://as.example.com/introspect' }],
  ])('refuses %s at build time', async (_name, introspection) => {
    await expect(createTestSetup({ introspection })).rejects.toThrow(/introspection/);
  });

  it('an explicit endpoint is used without discovery', async () => {
    const s = await createTestSetup(
      { introspection: { ...TEST_INTROSPECTION, endpoint: 'http://localhost:9000/introspect' } },
      { introspection: TEST_INTROSPECTION, metadata: { introspection_endpoint: undefined } },
    );
    expect((await mcpRequest(s.app, whoami, { token: await s.as.mint() })).status).toBe(200);
    expect(s.as.introspection.calls).toBe(1);
    expect(TEST_RESOURCE).toBe('http://localhost:8001/mcp');
  });
});
