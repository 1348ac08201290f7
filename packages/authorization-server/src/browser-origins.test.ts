import { describe, expect, it } from 'vitest';
import { createHarness, ISSUER, kinds, obtainCode, register, registrationRequest, requestToken, tokenFields } from '../testing/index.ts';

const INSPECTOR = 'http://localhost:6274';
const ATTACKER = 'https://evil.example';

function preflight(path: string, origin: string, headers = 'content-type') {
  return (h: Awaited<ReturnType<typeof createHarness>>) =>
    h.app.request(`${ISSUER}${path}`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': headers },
    });
}

describe('drive-by token minting: a web page on a foreign origin cannot register or redeem', () => {
  it.each([
    { endpoint: '/register', origin: ATTACKER },
    { endpoint: '/token', origin: ATTACKER },
    { endpoint: '/register', origin: 'null' },
    // Loopback pages are not trusted by default either: only configured origins are.
    { endpoint: '/token', origin: 'http://localhost:5555' },
  ])('the preflight from $origin to $endpoint gets no CORS permission', async ({ endpoint, origin }) => {
    const h = await createHarness({ config: { allowedOrigins: [INSPECTOR] } });
    const response = await preflight(endpoint, origin)(h);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a cross-site registration from a foreign page is refused with 403 before anything is stored', async () => {
    const h = await createHarness({ config: { allowedOrigins: [INSPECTOR] } });
    const response = await register(h, registrationRequest({ redirect_uris: ['https://evil.example/cb'] }), { Origin: ATTACKER });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    expect(kinds(h)).not.toContain('client.registered');
  });

  it('a cross-site form POST to /token (no preflight needed) is refused with 403, and the code is not consumed', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    const refused = await requestToken(h, tokenFields(code), { Origin: ATTACKER });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toMatchObject({ error: 'invalid_request' });
    // The refusal ran before the code was looked up: the client still redeems it.
    expect((await requestToken(h, tokenFields(code))).status).toBe(200);
  });

  it('an allowed origin (a browser MCP client such as the Inspector) may call /token, and reads the answer', async () => {
    const h = await createHarness({ config: { allowedOrigins: [INSPECTOR] } });
    const ok = await preflight('/token', INSPECTOR)(h);
    expect(ok.headers.get('access-control-allow-origin')).toBe(INSPECTOR);
    const code = await obtainCode(h);
    const response = await requestToken(h, tokenFields(code), { Origin: INSPECTOR });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(INSPECTOR);
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('native clients (no Origin header) are unaffected', async () => {
    const h = await createHarness();
    expect((await register(h)).status).toBe(201);
  });

  it.each(['/.well-known/oauth-authorization-server', '/jwks'])('the public document %s stays readable from any origin', async (path) => {
    const h = await createHarness();
    const response = await h.app.request(`${ISSUER}${path}`, { headers: { Origin: ATTACKER } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
