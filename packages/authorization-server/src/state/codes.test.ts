import { describe, expect, it } from 'vitest';
import {
  authorize,
  CLIENT_BASE,
  clientDocument,
  createHarness,
  ISSUER,
  obtainCode,
  register,
  registerClient,
  registrationRequest,
  requestToken,
  STACK_FRAME,
  tokenFields,
} from '../../testing/index.ts';
import { CodeStore, type AuthorizationGrant } from './codes.ts';

const GRANT: AuthorizationGrant = {
  client_id: 'client-a',
  redirect_uri: 'http://localhost:3000/callback',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  scope: 'mcp:connect',
  resource: 'http://localhost:8001/mcp',
  sub: 'demo-user',
  refresh: false,
};

function store(overrides: Partial<ConstructorParameters<typeof CodeStore>[0]> = {}) {
  let nowMs = 0;
  const codes = new CodeStore({
    now: () => nowMs,
    codeTtlSeconds: 60,
    replayWindowSeconds: 600,
    maxPendingCodes: 10,
    maxPendingCodesPerClient: 4,
    maxRedeemedCodes: 5,
    ...overrides,
  });
  return { codes, advance: (ms: number) => (nowMs += ms) };
}

function issued(codes: CodeStore, grant: AuthorizationGrant = GRANT): string {
  const issuance = codes.issue(grant);
  if (!issuance.issued) throw new Error(`refused: ${issuance.reason}`);
  return issuance.code;
}

describe('the code store is bounded (issue: a flood of codes grew the heap until the AS died)', () => {
  it('refuses a client past its own bound, while other clients still get codes', () => {
    const { codes } = store();
    for (let i = 0; i < 4; i += 1) issued(codes);
    expect(codes.issue(GRANT)).toEqual({ issued: false, reason: 'client_full', limit: 4 });
    expect(codes.issue({ ...GRANT, client_id: 'client-b' }).issued).toBe(true);
  });

  it('refuses everyone past the total bound', () => {
    const { codes } = store();
    for (let i = 0; i < 10; i += 1) issued(codes, { ...GRANT, client_id: `client-${i % 5}` });
    expect(codes.issue({ ...GRANT, client_id: 'newcomer' })).toEqual({ issued: false, reason: 'store_full', limit: 10 });
    expect(codes.sizes.pending).toBe(10);
  });

  it('frees a slot when a code is redeemed, and all slots once the codes expire', () => {
    const { codes, advance } = store();
    const first = issued(codes);
    for (let i = 0; i < 3; i += 1) issued(codes);
    expect(codes.redeem(first).outcome).toBe('redeemed');
    expect(codes.issue(GRANT).issued).toBe(true);
    expect(codes.issue(GRANT).issued).toBe(false);
    advance(60_000);
    expect(codes.issue(GRANT).issued).toBe(true);
    expect(codes.sizes).toMatchObject({ pending: 1, clients: 1 });
  });

  it('remembers at most maxRedeemedCodes used codes; the oldest is forgotten, and its replay is still refused', () => {
    const { codes } = store({ maxPendingCodesPerClient: 10 });
    const used = Array.from({ length: 6 }, () => issued(codes));
    for (const code of used) codes.redeem(code);
    expect(codes.sizes.redeemed).toBe(5);
    expect(codes.redeem(used[0]!).outcome).toBe('unknown');
    expect(codes.redeem(used[5]!).outcome).toBe('replayed');
  });
});

describe('expiry sweeps from the front and stops at the first live code (O(1) amortised)', () => {
  it('forgets expired codes, and used codes after the replay window', () => {
    const { codes, advance } = store({ maxPendingCodesPerClient: 10 });
    const used = issued(codes);
    codes.redeem(used);
    issued(codes);
    advance(30_000);
    const younger = issued(codes);
    advance(30_000); // the first two are now expired, the younger one is not
    issued(codes);
    expect(codes.sizes.pending).toBe(2);
    expect(codes.redeem(younger).outcome).toBe('redeemed');
    advance(600_000);
    expect(codes.redeem(used).outcome).toBe('unknown');
    expect(codes.sizes.redeemed).toBe(0);
  });

  it('keeps a redemption remembered for the whole replay window', () => {
    const { codes, advance } = store();
    const code = issued(codes);
    codes.redeem(code);
    advance(599_000);
    expect(codes.redeem(code).outcome).toBe('replayed');
  });
});

describe('GET /authorize: the code store under attack', () => {
  it('a flood of auto-approved requests with 14 KB redirect URIs is bounded: refused before anything is stored', async () => {
    const h = await createHarness();
    const long = `${CLIENT_BASE}/callback?${'a'.repeat(14 * 1024)}`;
    // Registration of such a URI is refused (RFC 7591 §3.2.2 invalid_redirect_uri) ...
    const registration = await register(h, registrationRequest({ redirect_uris: [long] }));
    expect(registration.status).toBe(400);
    expect(await registration.json()).toMatchObject({ error: 'invalid_redirect_uri' });
    // ... and so is a request naming one, shown (never redirected), 100 times over.
    for (let i = 0; i < 100; i += 1) {
      const response = await authorize(h, { redirect_uri: long });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ error: 'invalid_request' });
      expect(body.length).toBeLessThan(1024);
    }
    expect(h.app.codes.sizes.pending).toBe(0);
  });

  it('a 3 KB client_id is refused before any fetch', async () => {
    const h = await createHarness();
    const response = await authorize(h, { client_id: `${CLIENT_BASE}/${'c'.repeat(3000)}.json` });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    expect(h.fetched).toEqual([]);
  });

  it('a flood of auto-approved requests from one client is bounded: temporarily_unavailable, redirected with state and iss', async () => {
    const h = await createHarness({ config: { maxPendingCodesPerClient: 20 } });
    for (let i = 0; i < 20; i += 1) expect((await authorize(h)).status).toBe(302);
    const refused = await authorize(h);
    expect(refused.status).toBe(302);
    const location = new URL(refused.headers.get('location') ?? '');
    // RFC 6749 §4.1.2.1: temporarily_unavailable, with state and (RFC 9207) iss.
    expect(location.searchParams.get('error')).toBe('temporarily_unavailable');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(location.searchParams.has('code')).toBe(false);
    expect(h.app.codes.sizes.pending).toBe(20);
  });

  it('a flood spread over many registered clients is bounded by the total, and a redemption frees a slot', async () => {
    const h = await createHarness({ config: { maxPendingCodes: 30, maxPendingCodesPerClient: 10 } });
    const clients = [await registerClient(h), await registerClient(h), await registerClient(h)];
    for (const client_id of clients) for (let i = 0; i < 10; i += 1) await authorize(h, { client_id });
    expect(h.app.codes.sizes.pending).toBe(30);
    // The demo's own CIMD client is turned away too while the store is full ...
    const refused = new URL((await authorize(h)).headers.get('location') ?? '');
    expect(refused.searchParams.get('error')).toBe('temporarily_unavailable');
    // ... and served again once the codes expire (60 s).
    h.advance(60_000);
    const code = await obtainCode(h);
    const response = await requestToken(h, tokenFields(code));
    expect(response.status).toBe(200);
    expect(await response.text()).not.toMatch(STACK_FRAME);
  });

  it('a CIMD document with a redirect URI over 2,048 characters is rejected (invalid_client, shown)', async () => {
    const id = `${CLIENT_BASE}/long.json`;
    const h = await createHarness({
      routes: (host) => host.get('/long.json', (c) => c.json(clientDocument(id, { redirect_uris: [`${CLIENT_BASE}/cb?${'x'.repeat(2100)}`] }))),
    });
    const response = await authorize(h, { client_id: id });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
