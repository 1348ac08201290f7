/**
 * What the AS reports of each request it receives, so `pnpm serve` can grade a client: the
 * parameters as sent (secrets shortened), and whose request an error answered.
 */
import { describe, expect, it } from 'vitest';
import { authorize, CLIENT_ID, createHarness, obtainCode, requestToken, tokenFields } from '../testing/index.ts';
import { observedParams } from './observations.ts';

describe('observations of what a client sent', () => {
  it('reports the authorization request parameters as received, with the client that named them', async () => {
    const h = await createHarness();
    await authorize(h, { state: 'xyz', code_challenge_method: 'plain' });
    const received = h.events.find((e) => e.kind === 'authorization.received');
    expect(received).toMatchObject({ client_id: CLIENT_ID, params: { state: 'xyz', code_challenge_method: 'plain' } });
  });

  it('names the client on a refusal, so the refusal is charged to the client that caused it', async () => {
    const h = await createHarness();
    await authorize(h, { code_challenge_method: 'plain' });
    expect(h.events.at(-1)).toMatchObject({ kind: 'request.rejected', error: 'invalid_request', client_id: CLIENT_ID });
  });

  it('reports a token request with its secrets shortened, never whole', async () => {
    const h = await createHarness();
    const code = await obtainCode(h);
    await requestToken(h, tokenFields(code));
    const requested = h.events.find((e) => e.kind === 'token.requested');
    expect(requested).toMatchObject({ client_id: CLIENT_ID, grant_type: 'authorization_code' });
    expect(JSON.stringify(requested)).not.toContain(code);
  });

  it('bounds what it reports: the first value of each parameter, at most 24, long values cut', () => {
    const params = new URLSearchParams([['scope', 'a'], ['scope', 'b'], ['redirect_uri', 'x'.repeat(5000)]]);
    for (let i = 0; i < 40; i += 1) params.append(`p${i}`, 'v');
    const seen = observedParams(params);
    expect(seen.scope).toBe('a');
    expect(seen.redirect_uri!.length).toBeLessThan(400);
    expect(Object.keys(seen)).toHaveLength(24);
  });
});
