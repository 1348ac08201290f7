/**
 * The clients registered through Dynamic Client Registration as this AS keeps them
 * (registered-clients.ts): a bounded store that never evicts a recently active client, and a
 * server that registers none (dynamicClientRegistration: false). Registration itself:
 * dynamic-client-registration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  authorize,
  createHarness,
  ISSUER,
  kinds,
  register,
  registerClient,
  expectShownError,
} from '../../testing/index.ts';

describe('the store of registered clients is bounded, and never evicts a recently active client', () => {
  async function expectRegistrationRefused(response: Response): Promise<void> {
    // RFC 7591 §3.2.2: a JSON error object; 503 + Retry-After: the refusal is temporary.
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });
  }

  it('1,000 anonymous registrations do not push out the legitimate client: once full, new ones are refused', async () => {
    const h = await createHarness({ config: { maxRegisteredClients: 1000 } });
    const legitimate = await registerClient(h);
    expect((await authorize(h, { client_id: legitimate })).status).toBe(302);
    for (let i = 0; i < 999; i += 1) await registerClient(h);
    await expectRegistrationRefused(await register(h));
    expect((await authorize(h, { client_id: legitimate })).status).toBe(302);
  });

  it('a fresh registration that has not authorized yet is protected too (the grace period)', async () => {
    const h = await createHarness({ config: { maxRegisteredClients: 2 } });
    const fresh = await registerClient(h);
    await registerClient(h);
    h.advance(599_000);
    await expectRegistrationRefused(await register(h));
    expect((await authorize(h, { client_id: fresh })).status).toBe(302);
  });

  it('evicts a never-used registration once past the grace period, oldest first, and says so in the trace', async () => {
    const h = await createHarness({ config: { maxRegisteredClients: 2 } });
    const unused = await registerClient(h);
    const active = await registerClient(h);
    expect((await authorize(h, { client_id: active })).status).toBe(302);
    h.advance(600_000);
    const newcomer = await registerClient(h);
    expect(h.events.at(-1)?.spec).toContain(`never-used client ${unused} evicted`);
    await expectShownError(await authorize(h, { client_id: unused }), 400, 'invalid_client');
    expect((await authorize(h, { client_id: active })).status).toBe(302);
    expect((await authorize(h, { client_id: newcomer })).status).toBe(302);
  });

  it('evicts a used client only after it has been idle for registeredClientIdleSeconds, least recently used first', async () => {
    const h = await createHarness({ config: { maxRegisteredClients: 2, registeredClientIdleSeconds: 3600 } });
    const older = await registerClient(h);
    const newer = await registerClient(h);
    await authorize(h, { client_id: older });
    await authorize(h, { client_id: newer });
    h.advance(1800_000);
    await authorize(h, { client_id: older }); // older is now the more recently used
    h.advance(1800_000);
    await registerClient(h);
    expect(h.events.at(-1)?.spec).toContain(`idle client ${newer} evicted`);
    expect((await authorize(h, { client_id: older })).status).toBe(302);
    await expectRegistrationRefused(await register(h));
  });
});

describe('dynamicClientRegistration: false (a CIMD-only server)', () => {
  it('advertises no registration_endpoint and answers POST /register with 404', async () => {
    const h = await createHarness({ config: { dynamicClientRegistration: false } });
    const metadata = (await (await h.app.request(`${ISSUER}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata).not.toHaveProperty('registration_endpoint');
    expect(metadata).toMatchObject({ client_id_metadata_document_supported: true });
    expect(h.app.metadata).not.toHaveProperty('registration_endpoint');

    const response = await register(h);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    expect(kinds(h)).not.toContain('client.registered');
    // CIMD clients are unaffected.
    expect((await authorize(h)).status).toBe(302);
  });

  it('a non-URL client_id at /authorize -> shown 400 invalid_client', async () => {
    const h = await createHarness({ config: { dynamicClientRegistration: false } });
    await expectShownError(await authorize(h, { client_id: 'dcr_AAAAAAAAAAAAAAAAAAAAAA' }), 400, 'invalid_client');
  });
});
