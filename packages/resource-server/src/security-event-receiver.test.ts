/**
 * The RFC 8935 SET receiver of the resource server: a revocation SET from this server's AS is
 * answered 202 and its token refused from then on; every other SET is answered 400 with the
 * RFC 8935 §2.4 `err`, and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  addRevocationEvents,
  createTestKey,
  createTestSetup,
  mcpRequest,
  parseChallenge,
  pushSet,
  rpc,
  signSet,
  TEST_INTROSPECTION,
  TEST_ISSUER,
  TEST_RESOURCE,
  type SetOptions,
} from '../testing/index.ts';

const T0 = Date.UTC(2025, 10, 25, 12, 0, 0);
const RECEIVER = `${TEST_RESOURCE}/security-events`;
const BASIC = `Basic ${Buffer.from(`${TEST_INTROSPECTION.clientId}:${TEST_INTROSPECTION.clientSecret}`).toString('base64')}`;
const whoami = rpc.callTool('whoami');

async function pushSetup() {
  const setup = await createTestSetup(
    { introspection: TEST_INTROSPECTION, now: () => T0 },
    { introspection: TEST_INTROSPECTION, metadata: { revocation_events_endpoint: `${TEST_ISSUER}/revocation-events` } },
  );
  const log = addRevocationEvents(setup.as.app, '', BASIC);
  const channel = setup.app.revocationChannel!;
  await channel.renew(); // subscribed: the channel is live
  return { ...setup, log, channel };
}

function jtiOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
}

describe('RFC 8935 §2: the SET receiver', () => {
  it('a revocation SET from the AS is answered 202, and the token is refused next: 401 invalid_token, without asking the AS', async () => {
    const s = await pushSetup();
    expect(s.channel.isLive()).toBe(true);
    const token = await s.as.mint();
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    expect(s.as.introspection.calls).toBe(0); // checked locally: the channel is live
    const set = await signSet({ key: s.as.signingKey, iss: TEST_ISSUER, aud: TEST_RESOURCE, jti: jtiOf(token), exp: T0 / 1000 + 300, epoch: 'epoch-1', seq: 1, iat: T0 / 1000 });
    const pushed = await pushSet(s.app, RECEIVER, set);
    // RFC 8935 §2.2: 202 Accepted.
    expect(pushed.status).toBe(202);
    expect(s.eventsOf('security_event.received')).toMatchObject([{ jti: jtiOf(token), seq: 1, via: 'push' }]);
    const refused = await mcpRequest(s.app, whoami, { token });
    expect(refused.status).toBe(401);
    expect(parseChallenge(refused.headers.get('www-authenticate'))?.params.error).toBe('invalid_token');
    expect(s.eventsOf('token.rejected').at(-1)?.reason).toBe('revoked');
    expect(s.as.introspection.calls).toBe(0);
  });

  it('a revocation that arrives both pushed and caught up (a renewal racing the push) is traced once; renewals are not traced', async () => {
    const s = await pushSetup();
    const token = await s.as.mint();
    const set = await signSet({ key: s.as.signingKey, iss: TEST_ISSUER, aud: TEST_RESOURCE, jti: jtiOf(token), exp: T0 / 1000 + 300, epoch: 'epoch-1', seq: 1, iat: T0 / 1000 });
    s.log.sets.push(set); // in the AS's log: the renewal in flight reads it too
    const [pushed] = await Promise.all([pushSet(s.app, RECEIVER, set), s.channel.renew()]);
    expect(pushed.status).toBe(202);
    expect(s.eventsOf('security_event.received')).toHaveLength(1);
    const before = s.events.length;
    await s.channel.renew();
    expect(s.log.requests).toHaveLength(3);
    expect(s.events.slice(before)).toEqual([]);
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(401);
  });

  it.each([
    { rule: 'RFC 8935 §2.4 invalid_issuer: a SET from another issuer', change: { iss: 'http://localhost:9999' }, err: 'invalid_issuer' },
    { rule: 'RFC 8935 §2.4 invalid_audience: a SET for another resource server', change: { aud: 'http://localhost:8002/mcp' }, err: 'invalid_audience' },
    { rule: 'RFC 8935 §2.4 invalid_key: a SET signed with a key that is not the AS\'s', change: { key: 'other' }, err: 'invalid_key' },
    { rule: 'RFC 8417 §2.3: a JWT whose typ is not secevent+jwt (an access token)', change: { typ: 'at+jwt' }, err: 'invalid_request' },
    { rule: 'RFC 8935 §2: a body that is not application/secevent+jwt', change: { contentType: 'application/json' }, err: 'invalid_request' },
    { rule: 'RFC 8417 §2: a body that is not a JWT', change: { body: 'not-a-jwt' }, err: 'invalid_request' },
    { rule: 'RFC 8417 §2.2: a SET without the revocation event', change: { seq: 0 }, err: 'invalid_request' },
  ])('$rule: 400 $err, and nothing is revoked', async ({ change, err }) => {
    const s = await pushSetup();
    const token = await s.as.mint();
    const options: SetOptions = { key: s.as.signingKey, iss: TEST_ISSUER, aud: TEST_RESOURCE, jti: jtiOf(token), exp: T0 / 1000 + 300, epoch: 'epoch-1', seq: 1, iat: T0 / 1000 };
    const { key, contentType, body, ...claims } = change as Partial<SetOptions> & { key?: string; contentType?: string; body?: string };
    const set = body ?? (await signSet({ ...options, ...claims, ...(key ? { key: await createTestKey(s.as.signingKey.kid) } : {}) }));
    const response = await pushSet(s.app, RECEIVER, set, contentType);
    // RFC 8935 §2.3: 400 with a JSON object of "err" and "description".
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { err: string; description: string };
    expect(answer.err).toBe(err);
    expect(typeof answer.description).toBe('string');
    expect(s.eventsOf('security_event.received')).toEqual([]);
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
  });

  it('with --introspect-every-request there is no receiver, and every token is introspected', async () => {
    const s = await createTestSetup({ introspection: { ...TEST_INTROSPECTION, everyRequest: true }, now: () => T0 }, { introspection: TEST_INTROSPECTION });
    expect(s.app.revocationChannel).toBeUndefined();
    expect((await pushSet(s.app, RECEIVER, 'x')).status).toBe(404);
    const token = await s.as.mint();
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    expect((await mcpRequest(s.app, whoami, { token })).status).toBe(200);
    expect(s.as.introspection.calls).toBe(2);
  });
});
