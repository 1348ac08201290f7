/**
 * A code or a refresh token presented twice AT THE SAME MOMENT (two requests in flight): the second
 * is a replay (RFC 6749 §4.1.2) or a reuse (RFC 9700 §4.14.2) and revokes what the first produced,
 * including the token the first is still being signed. No token escapes the revocation. And an AS
 * restart, which forgets every refresh token, is named in the refusal, not left silent.
 */
import { describe, expect, it } from 'vitest';
import { CLIENT_BASE, clientDocument, createHarness, obtainCode, requestToken, RESOURCE, tokenFields, type Harness } from '../../testing/index.ts';

const REFRESHING_CLIENT = `${CLIENT_BASE}/refreshing-client.json`;
const jti = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti;

interface TokenBody {
  access_token?: string;
  refresh_token?: string;
  error?: string;
}

const refreshingClient = () =>
  createHarness({
    routes: (host) => host.get('/refreshing-client.json', (c) => c.json(clientDocument(REFRESHING_CLIENT, { grant_types: ['authorization_code', 'refresh_token'] }))),
    config: { accessTokenTtlSeconds: 600 },
  });

/** Sends the same token request twice without waiting for the first answer. */
async function twiceAtOnce(h: Harness, fields: Record<string, string>): Promise<TokenBody[]> {
  const answers = await Promise.all([requestToken(h, fields), requestToken(h, fields)]);
  for (const answer of answers) expect([200, 400]).toContain(answer.status);
  return Promise.all(answers.map((answer) => answer.json() as Promise<TokenBody>));
}

describe('a code redeemed twice at once: the replay revokes what the first redemption issued (RFC 6749 §4.1.2)', () => {
  it('no access token from a replayed code stays active, even one still being signed when the replay came', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    const bodies = await twiceAtOnce(h, tokenFields(code) as Record<string, string>);
    expect(bodies.some((body) => body.error === 'invalid_grant')).toBe(true);
    for (const body of bodies) if (body.access_token) expect(h.app.isRevoked(jti(body.access_token))).toBe(true);
    expect(h.events.filter((event) => event.kind === 'code.replayed')).toMatchObject([{ revoked_tokens: 1 }]);
  });
});

describe('two refreshes with one refresh token at once: one rotates, the other is a reuse and revokes the family (RFC 9700 §4.14.2)', () => {
  it('no access token or refresh token of the family survives, the first refresh\'s included', async () => {
    const h = await refreshingClient();
    const code = await obtainCode(h, { client_id: REFRESHING_CLIENT });
    const first = (await (await requestToken(h, tokenFields(code, { client_id: REFRESHING_CLIENT }))).json()) as TokenBody;
    h.advance(600_000);
    const bodies = await twiceAtOnce(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: REFRESHING_CLIENT, resource: RESOURCE });
    expect(bodies.some((body) => body.error === 'invalid_grant')).toBe(true);
    expect(h.events.filter((event) => event.kind === 'refresh_token.reused')).toHaveLength(1);
    for (const body of bodies) if (body.access_token) expect(h.app.isRevoked(jti(body.access_token))).toBe(true);
    expect(h.app.refreshTokens.size).toBe(0);
  });
});

describe('an AS restart forgets every refresh token family (in memory only), and the trace says so', () => {
  it('a refresh token from before the restart is invalid_grant, and the rejection names the restart', async () => {
    const before = await refreshingClient();
    const code = await obtainCode(before, { client_id: REFRESHING_CLIENT });
    const tokens = (await (await requestToken(before, tokenFields(code, { client_id: REFRESHING_CLIENT }))).json()) as TokenBody;
    const after = await refreshingClient(); // the same signing key, a fresh process state
    const answer = await requestToken(after, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: REFRESHING_CLIENT, resource: RESOURCE });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_grant' });
    const rejected = after.events.find((event) => event.kind === 'request.rejected') as { error_description?: string } | undefined;
    expect(rejected?.error_description).toMatch(/restart/);
  });
});
