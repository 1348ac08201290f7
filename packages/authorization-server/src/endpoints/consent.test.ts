import { describe, expect, it } from 'vitest';
import { authorize, clientDocument, createHarness, ISSUER, kinds, registerClient, type Harness } from '../../testing/index.ts';

const ATTACKER_CALLBACK = 'https://attacker.example/callback';
const ATTACKER_CIMD = 'http://localhost:3000/attacker.json';

/** The two ways a web page can present a client whose redirect URI is its own https callback. */
const attackerClients: { how: string; clientId: (h: Harness) => Promise<string> }[] = [
  { how: 'registered with POST /register (RFC 7591)', clientId: (h) => registerClient(h, { redirect_uris: [ATTACKER_CALLBACK] }) },
  { how: 'named by a Client ID Metadata Document', clientId: async () => ATTACKER_CIMD },
];

function harness(config: { interactive?: boolean } = {}) {
  return createHarness({
    routes: (host) => host.get('/attacker.json', (c) => c.json(clientDocument(ATTACKER_CIMD, { redirect_uris: [ATTACKER_CALLBACK] }))),
    config,
  });
}

describe('drive-by token minting: headless auto-approval only where the code cannot leave the machine', () => {
  it.each(attackerClients)(
    'a web page whose client is $how cannot get a demo-user code delivered to its https callback: access_denied, state and iss, no code',
    async ({ clientId }) => {
      const h = await harness();
      const response = await authorize(h, { client_id: await clientId(h), redirect_uri: ATTACKER_CALLBACK });

      // RFC 6749 §4.1.2.1: the redirect URI is registered and valid, so the error is redirected to it.
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(ATTACKER_CALLBACK);
      expect(location.searchParams.get('error')).toBe('access_denied');
      expect(location.searchParams.get('error_description')).toMatch(/headless.*loopback.*--interactive/);
      expect(location.searchParams.get('state')).toBe('state-123');
      expect(location.searchParams.get('iss')).toBe(ISSUER);
      expect(location.searchParams.has('code')).toBe(false);
      expect(kinds(h)).toContain('consent.refused');
      expect(kinds(h)).not.toContain('code.issued');
      expect(kinds(h)).not.toContain('consent.auto_approved');
    },
  );

  it.each(attackerClients)('with a person to ask (interactive), the client $how gets the consent page, not a code', async ({ clientId }) => {
    const h = await harness({ interactive: true });
    const response = await authorize(h, { client_id: await clientId(h), redirect_uri: ATTACKER_CALLBACK });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('location')).toBeNull();
    expect(kinds(h)).toContain('consent.requested');
    expect(kinds(h)).not.toContain('code.issued');
  });

  it.each([
    { rule: 'the registered loopback URI', redirect_uri: 'http://localhost:3000/callback' },
    { rule: 'a loopback URI on another port (RFC 8252 §7.3)', redirect_uri: 'http://localhost:51234/callback' },
  ])('headless, $rule is still auto-approved (the named deviation), so pnpm demo needs no browser', async ({ redirect_uri }) => {
    const h = await harness();
    const response = await authorize(h, { redirect_uri });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kinds(h)).toEqual(expect.arrayContaining(['consent.auto_approved', 'code.issued']));
  });

  it('a client with both a loopback and an https redirect URI is auto-approved only for the loopback one', async () => {
    const mixed = 'http://localhost:3000/mixed.json';
    const h = await createHarness({
      routes: (host) => host.get('/mixed.json', (c) => c.json(clientDocument(mixed, { redirect_uris: ['http://localhost:3000/callback', ATTACKER_CALLBACK] }))),
    });
    const viaHttps = new URL((await authorize(h, { client_id: mixed, redirect_uri: ATTACKER_CALLBACK })).headers.get('location') ?? '');
    expect(viaHttps.searchParams.get('error')).toBe('access_denied');
    const viaLoopback = new URL((await authorize(h, { client_id: mixed })).headers.get('location') ?? '');
    expect(viaLoopback.searchParams.has('code')).toBe(true);
  });
});
