import { describe, expect, it } from 'vitest';
import { authorize, CLIENT_BASE, clientDocument, createHarness, ISSUER, obtainCode, requestToken, STACK_FRAME, tokenFields, type Harness } from '../testing/index.ts';

const NO_STORE_CLIENT = `${CLIENT_BASE}/no-store.json`;

describe('errors are OAuth errors, never stack traces', () => {
  it('an unknown path -> JSON 404, traced as request.rejected', async () => {
    const h = await createHarness();
    const response = await h.app.request(`${ISSUER}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    expect(h.events.at(-1)).toMatchObject({ kind: 'request.rejected', method: 'GET', path: '/nope', status: 404 });
  });

  describe('an unexpected exception becomes a bare server_error', () => {
    const SECRET = 'secret internal detail';
    async function brokenClockHarness(): Promise<{ h: Harness; breakClock: () => void }> {
      let broken = false;
      const h = await createHarness({
        // A document that is never cached, so the clock is first read after the redirect URI is known.
        routes: (host) => host.get('/no-store.json', (c) => c.json(clientDocument(NO_STORE_CLIENT), 200, { 'Cache-Control': 'no-store' })),
        config: {
          now: () => {
            if (broken) throw new Error(`${SECRET} at handler (/srv/app.ts:12:3)`);
            return Date.now();
          },
        },
      });
      return { h, breakClock: () => (broken = true) };
    }

    it('at the token endpoint: 500 JSON, no detail, no-store', async () => {
      const { h, breakClock } = await brokenClockHarness();
      const code = await obtainCode(h);
      breakClock();
      const response = await requestToken(h, tokenFields(code));
      expect(response.status).toBe(500);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = await response.text();
      expect(JSON.parse(body)).toEqual({ error: 'server_error', error_description: 'The server could not complete the request.' });
      expect(body).not.toContain(SECRET);
      expect(body).not.toMatch(STACK_FRAME);
    });

    it('at the authorization endpoint after the redirect URI is known: redirected server_error (RFC 6749 §4.1.2.1)', async () => {
      const { h, breakClock } = await brokenClockHarness();
      breakClock();
      const response = await authorize(h, { client_id: NO_STORE_CLIENT });
      expect(response.status).toBe(302);
      const location = response.headers.get('location') ?? '';
      expect(new URL(location).searchParams.get('error')).toBe('server_error');
      expect(decodeURIComponent(location)).not.toContain(SECRET);
    });

    it('at the authorization endpoint before the redirect URI is known: shown 500 server_error', async () => {
      const { h, breakClock } = await brokenClockHarness();
      await obtainCode(h); // the cached document makes the next authorization read the clock first
      breakClock();
      const response = await authorize(h);
      expect(response.status).toBe(500);
      expect(response.headers.get('location')).toBeNull();
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ error: 'server_error' });
      expect(body).not.toContain(SECRET);
    });
  });

  it('an oversized token request -> 413 invalid_request', async () => {
    const h = await createHarness();
    const response = await requestToken(h, { ...tokenFields('x'), padding: 'x'.repeat(20_000) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('GET /jwks (RFC 7517 §5)', () => {
  it('publishes the public key with kid, alg and use, and no private member', async () => {
    const h = await createHarness();
    const response = await h.app.request(`${ISSUER}/jwks`);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), n: expect.any(String), e: 'AQAB' });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(member);
  });
});
