import { describe, expect, it } from 'vitest';
import { authorize, clientDocument, createHarness, expectShownError, kinds, registerClient, type Harness } from '../../testing/index.ts';

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
    'a web page whose client is $how cannot get a demo-user code delivered to its https callback: access_denied shown, not redirected, no code',
    async ({ clientId }) => {
      const h = await harness();
      const response = await authorize(h, { client_id: await clientId(h), redirect_uri: ATTACKER_CALLBACK });

      // RFC 9700 §4.11.2: nobody is signed in to be sent off this machine, so the refusal is shown here.
      await expectShownError(response.clone(), 400, 'access_denied');
      expect(((await response.json()) as { error_description: string }).error_description).toMatch(/headless.*loopback.*--interactive/);
      expect(kinds(h)).toContain('consent.refused');
      expect(kinds(h)).not.toContain('code.issued');
      expect(kinds(h)).not.toContain('consent.auto_approved');
    },
  );

  it.each(attackerClients)(
    'the AS is no open redirector (RFC 9700 §4.11.2): a client $how whose callback is a phishing page sends a broken request; the error is shown, never redirected there',
    async ({ clientId }) => {
      const h = await harness();
      const id = await clientId(h);
      for (const broken of [{ scope: 'no-such-scope' }, { response_type: 'token' }, { code_challenge_method: 'plain' }, { resource: 'https://elsewhere.example/mcp' }]) {
        const response = await authorize(h, { client_id: id, redirect_uri: ATTACKER_CALLBACK, ...broken });
        expect(response.status, JSON.stringify(broken)).toBe(400);
        expect(response.headers.get('location')).toBeNull();
      }
      expect(kinds(h)).not.toContain('code.issued');
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
    await expectShownError(await authorize(h, { client_id: mixed, redirect_uri: ATTACKER_CALLBACK }), 400, 'access_denied');
    const viaLoopback = new URL((await authorize(h, { client_id: mixed })).headers.get('location') ?? '');
    expect(viaLoopback.searchParams.has('code')).toBe(true);
  });
});
