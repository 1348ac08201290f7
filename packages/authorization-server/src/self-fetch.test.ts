import { describe, expect, it } from 'vitest';
import { authorize, createHarness, ISSUER } from '../testing/index.ts';

// The harness's issuer is http://localhost:9000; its injected fetch counts every fetch attempt.
describe('the AS fetching itself: a client_id URL on its own origin is refused before any fetch', () => {
  it.each([
    { rule: 'its own /authorize, recursively naming itself', clientId: `${ISSUER}/authorize?client_id=${encodeURIComponent(`${ISSUER}/authorize`)}` },
    { rule: 'its own metadata document', clientId: `${ISSUER}/.well-known/oauth-authorization-server` },
    { rule: 'a loopback alias of its host (127.0.0.1)', clientId: 'http://127.0.0.1:9000/client.json' },
    { rule: 'a loopback alias of its host ([::1])', clientId: 'http://[::1]:9000/client.json' },
    { rule: 'an upper-case spelling of its host', clientId: 'http://LOCALHOST:9000/client.json' },
    { rule: 'a DNS name that resolves to loopback on its port', clientId: 'https://self.test:9000/client.json', addresses: { 'self.test': ['127.0.0.1'] } },
  ])('$rule -> shown 400 invalid_client, nothing fetched', async ({ clientId, addresses }) => {
    const h = await createHarness(addresses ? { addresses } : {});
    const response = await authorize(h, { client_id: clientId });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    expect(h.fetched).toEqual([]);
    expect(h.events.find((e) => e.kind === 'cimd.rejected')?.reason).toMatch(/fetch itself/);
  });

  it('another port on the same loopback host is another server: fetched as usual', async () => {
    const h = await createHarness();
    expect((await authorize(h)).status).toBe(302);
    expect(h.fetched).toEqual(['http://localhost:3000/client-metadata.json']);
  });
});
