/**
 * The revocation channel (revocation-channel.ts): it fails closed and loses nothing. In process:
 * the RS app against the stand-in AS's revocation events endpoint (testing/revocation-events.ts),
 * on a clock the test moves; renewals are called by the test, never by a timer.
 */
import type { AccessTokenRevokedEvent } from '@mcp-auth-demo/common';
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { describe, expect, it } from 'vitest';
import {
  addRevocationEvents,
  createTestSetup,
  mcpRequest,
  parseChallenge,
  pushSet,
  rpc,
  signSet,
  TEST_INTROSPECTION,
  TEST_ISSUER,
  TEST_RESOURCE,
} from '../testing/index.ts';
import { createRevocationChannel, LIVE_FOR_RENEWALS } from './revocation-channel.ts';
import { RevokedTokenIds } from './revoked-token-ids.ts';

const T0 = Date.UTC(2025, 10, 25, 12, 0, 0);
const RENEW_MS = 1_000;
const RECEIVER = `${TEST_RESOURCE}/security-events`;
const BASIC = `Basic ${Buffer.from(`${TEST_INTROSPECTION.clientId}:${TEST_INTROSPECTION.clientSecret}`).toString('base64')}`;
const whoami = rpc.callTool('whoami');

function jtiOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
}

async function channelSetup() {
  const clock = { now: T0 };
  const now = () => clock.now;
  const setup = await createTestSetup(
    { introspection: { ...TEST_INTROSPECTION, renewMs: RENEW_MS }, now },
    { introspection: TEST_INTROSPECTION, metadata: { revocation_events_endpoint: `${TEST_ISSUER}/revocation-events` }, now },
  );
  const log = addRevocationEvents(setup.as.app, '', BASIC);
  const channel = setup.app.revocationChannel!;
  /** A revocation SET for `token` as the AS signs it, with the AS's current key. */
  const setFor = (token: string, seq: number, epoch = log.epoch) =>
    signSet({ key: setup.as.signingKey, iss: TEST_ISSUER, aud: TEST_RESOURCE, jti: jtiOf(token), exp: T0 / 1000 + 300, epoch, seq, iat: T0 / 1000 });
  const call = (token: string) => mcpRequest(setup.app, whoami, { token });
  return { ...setup, clock, log, channel, setFor, call };
}

describe('subscription and catch-up from the cursor (RFC 8935 push, RFC 8417 SETs)', () => {
  it('subscribes with its credentials and delivery URL, catches up the log, and renews from its cursor', async () => {
    const s = await channelSetup();
    const [first, second, third] = [await s.as.mint(), await s.as.mint(), await s.as.mint()];
    s.log.sets.push(await s.setFor(first, 1), await s.setFor(second, 2));
    await s.channel.renew();
    expect(s.log.requests[0]).toEqual({ delivery_url: RECEIVER });
    expect(s.channel.isLive()).toBe(true);
    expect(s.eventsOf('revocation_channel.live')).toMatchObject([{ epoch: 'epoch-1', cursor: 2, caught_up: 2, restarted: false }]);
    s.log.sets.push(await s.setFor(third, 3));
    await s.channel.renew();
    // The renewal names the epoch and the last seq it holds: only what came after is sent.
    expect(s.log.requests[1]).toEqual({ delivery_url: RECEIVER, epoch: 'epoch-1', cursor: '2' });
    expect(s.eventsOf('security_event.received').map((e) => [e.seq, e.via])).toEqual([[1, 'catch-up'], [2, 'catch-up'], [3, 'catch-up']]);
    for (const token of [first, second, third]) expect((await s.call(token)).status).toBe(401);
    expect(s.eventsOf('revocation_channel.live')).toHaveLength(1);
    expect(s.as.introspection.calls).toBe(0);
  });

  it('a pushed SET whose seq skips one (a push was lost) makes it catch up at once', async () => {
    const s = await channelSetup();
    await s.channel.renew();
    const [lost, pushed] = [await s.as.mint(), await s.as.mint()];
    s.log.sets.push(await s.setFor(lost, 1), await s.setFor(pushed, 2));
    expect((await pushSet(s.app, RECEIVER, s.log.sets[1]!)).status).toBe(202);
    await s.channel.renew(); // joins the renewal the gap started
    expect(s.log.requests).toHaveLength(2);
    expect(s.log.requests[1]).toMatchObject({ epoch: 'epoch-1', cursor: '0' });
    expect((await s.call(lost)).status).toBe(401);
    expect(s.as.introspection.calls).toBe(0);
  });
});

describe('fail closed: no live channel means introspection on every request', () => {
  it(`without a good renewal for ${LIVE_FOR_RENEWALS} periods every token is introspected, and the trace says so once per lost period`, async () => {
    const s = await channelSetup();
    await s.channel.renew();
    const token = await s.as.mint();
    expect((await s.call(token)).status).toBe(200);
    expect(s.as.introspection.calls).toBe(0);

    s.clock.now += LIVE_FOR_RENEWALS * RENEW_MS;
    expect(s.channel.isLive()).toBe(false);
    for (let i = 0; i < 3; i += 1) expect((await s.call(token)).status).toBe(200);
    expect(s.as.introspection.calls).toBe(3);
    expect(s.eventsOf('revocation_channel.lost')).toHaveLength(1);

    // Back: checked locally again; lost once more later: said once more.
    await s.channel.renew();
    expect((await s.call(token)).status).toBe(200);
    expect(s.as.introspection.calls).toBe(3);
    expect(s.eventsOf('revocation_channel.live')).toHaveLength(2);
    s.clock.now += LIVE_FOR_RENEWALS * RENEW_MS;
    for (let i = 0; i < 2; i += 1) await s.call(token);
    expect(s.eventsOf('revocation_channel.lost')).toHaveLength(2);
  });

  it('a token revoked while the channel is lost is refused by introspection (401 invalid_token), not accepted', async () => {
    const s = await channelSetup();
    await s.channel.renew();
    const token = await s.as.mint();
    s.clock.now += LIVE_FOR_RENEWALS * RENEW_MS;
    s.as.revoke(token);
    const refused = await s.call(token);
    expect(refused.status).toBe(401);
    // RFC 6750 §3.1: invalid_token, with the challenge.
    expect(parseChallenge(refused.headers.get('www-authenticate'))?.params.error).toBe('invalid_token');
  });

  it('the AS down (renewal and introspection both fail): 503 temporarily_unavailable with Retry-After, never accepted, never 500', async () => {
    const s = await channelSetup();
    await s.channel.renew();
    const token = await s.as.mint();
    s.log.down = true;
    s.as.introspection.mode = 'unreachable';
    s.clock.now += LIVE_FOR_RENEWALS * RENEW_MS;
    await s.channel.renew();
    for (let i = 0; i < 3; i += 1) {
      const response = await s.call(token);
      expect(response.status).toBe(503);
      // RFC 9110 §15.6.4 503 and §10.2.3 Retry-After; RFC 6749 §4.1.2.1 temporarily_unavailable.
      expect(response.headers.get('retry-after')).toBe('1');
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).toBe('temporarily_unavailable');
      expect(body.error_description).not.toMatch(/\n\s+at /);
    }
    expect(s.eventsOf('token.accepted')).toEqual([]);
    expect(s.eventsOf('revocation_channel.lost')).toMatchObject([{ why: 'the revocation events endpoint answered HTTP 503' }]);
  });
});

describe('AS restarts: a new epoch', () => {
  it('with a fresh key (the default): resets the cursor, fetches the new log whole, and fetches the keys again, so the old run\'s tokens no longer verify', async () => {
    const s = await channelSetup();
    await s.channel.renew();
    const [old, unrevokedOld] = [await s.as.mint(), await s.as.mint()];
    expect((await s.call(unrevokedOld)).status).toBe(200); // the JWK Set is fetched (version 1)
    s.log.sets.push(await s.setFor(old, 1));
    await s.channel.renew();

    await s.as.restart(); // a fresh key, as the demo's AS makes at every start
    const fresh = await s.as.mint();
    s.log.epoch = 'epoch-2';
    s.log.sets = [await s.setFor(fresh, 1, 'epoch-2')];
    const jwksBefore = s.as.counts.jwks;
    await s.channel.renew();

    expect(s.log.requests.at(-1)).toMatchObject({ epoch: 'epoch-1', cursor: '1' });
    expect(s.eventsOf('revocation_channel.live').at(-1)).toMatchObject({ epoch: 'epoch-2', cursor: 1, caught_up: 1, restarted: true });
    expect(s.as.counts.jwks).toBe(jwksBefore + 1);
    expect((await s.call(fresh)).status).toBe(401); // the new run's revocation
    // The old run's unrevoked token is judged by the new run's keys: it no longer verifies.
    expect((await s.call(unrevokedOld)).status).toBe(401);
    expect(s.eventsOf('token.rejected').at(-1)?.reason).not.toBe('revoked');
    expect(s.as.introspection.calls).toBe(0);
  });

  it('with a persistent key (MCP_DEMO_AS_KEY_FILE) the old run\'s tokens still verify: what it revoked and pushed stays refused; what it never told is lost, here as at the AS', async () => {
    const s = await channelSetup();
    await s.channel.renew();
    const [told, untold] = [await s.as.mint(), await s.as.mint()];
    s.log.sets.push(await s.setFor(told, 1));
    await s.channel.renew();
    s.log.epoch = 'epoch-2'; // the same key: no as.restart()
    s.log.sets = [];
    await s.channel.renew();
    expect(s.eventsOf('revocation_channel.live').at(-1)).toMatchObject({ epoch: 'epoch-2', restarted: true });
    expect((await s.call(told)).status).toBe(401);
    expect(s.eventsOf('token.rejected').at(-1)?.reason).toBe('revoked');
    // The AS's own introspection would say active too: its revocations lived in memory (docs/revocation.md).
    expect((await s.call(untold)).status).toBe(200);
  });

  it('a token with a key it has not seen (a restart it has not heard of) makes it renew first: a revocation made meanwhile is refused on that first request', async () => {
    const s = await channelSetup();
    await s.channel.renew();
    expect((await s.call(await s.as.mint())).status).toBe(200); // the JWK Set is fetched (version 1)
    expect(s.channel.isLive()).toBe(true);

    // The AS restarts and revokes a token of its new run: it knows no subscriber, so it pushes nothing.
    await s.as.restart();
    const revoked = await s.as.mint();
    s.log.epoch = 'epoch-2';
    s.log.sets = [await s.setFor(revoked, 1, 'epoch-2')];

    const refused = await s.call(revoked);
    expect(refused.status).toBe(401);
    expect(s.log.requests).toHaveLength(2);
    expect(s.eventsOf('token.rejected').at(-1)?.reason).toBe('revoked');
    expect(s.eventsOf('security_event.received').at(-1)).toMatchObject({ jti: jtiOf(revoked), via: 'catch-up' });
    expect(s.as.introspection.calls).toBe(0);
    expect(s.channel.needsConfirmation()).toBe(false);
  });
});

describe('the revoked-token set full', () => {
  it('never counts live again (a revocation that did not fit would be forgotten), and says why', async () => {
    const events: TraceEvent[] = [];
    const event = (jti: string, seq: number): AccessTokenRevokedEvent => ({ jti, exp: T0 / 1000 + 300, epoch: 'e', seq });
    const channel = createRevocationChannel({
      endpoint: () => Promise.resolve(`${TEST_ISSUER}/revocation-events`),
      authorization: BASIC,
      deliveryUrl: RECEIVER,
      renewMs: RENEW_MS,
      revoked: new RevokedTokenIds(() => T0, 1),
      keys: { version: 0, reload: () => Promise.resolve() },
      verify: (set) => Promise.resolve(JSON.parse(set) as AccessTokenRevokedEvent),
      fetch: () => Promise.resolve(Response.json({ epoch: 'e', cursor: 2, sets: [JSON.stringify(event('a', 1)), JSON.stringify(event('b', 2))] })),
      now: () => T0,
      emit: (kind, fields) => events.push({ party: 'resource-server', kind, ...fields } as unknown as TraceEvent),
    });
    await channel.renew();
    expect(channel.isLive()).toBe(false);
    channel.noteFallback();
    channel.noteFallback();
    expect(events.filter((e) => e.kind === 'revocation_channel.lost')).toMatchObject([{ why: 'the revoked-token set is full' }]);
    expect(events.filter((e) => e.kind === 'revocation_channel.live')).toEqual([]);
  });
});
