/**
 * Revocation by push, the AS side: a resource server subscribes with its introspection
 * credentials (revocation-events.ts), each revocation is pushed to it as an RFC 8417 SET by
 * RFC 8935 (security-event-transmitter.ts), and it catches up from its cursor.
 */
import { ACCESS_TOKEN_REVOKED_EVENT, SECURITY_EVENT_MEDIA_TYPE } from '@mcp-auth-demo/common';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, ISSUER, obtainCode, RESOURCE, requestToken, testSigningKey, tokenFields, type Harness } from '../../testing/index.ts';
import type { IntrospectionClient } from '../config.ts';
import { jwksDocument } from '../tokens/keys.ts';

const RS: IntrospectionClient = { client_id: 'weather-rs', client_secret: 's'.repeat(40), resource: RESOURCE };
const DELIVERY_URL = 'http://localhost:8001/security-events';

function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

function subscribe(h: Harness, fields: Record<string, string>, authorization = basic(RS.client_id, RS.client_secret)) {
  return h.app.request(`${ISSUER}/revocation-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Redeems a code twice: the replay revokes the token the first redemption issued (RFC 6749 §4.1.2). */
async function revokeOneToken(h: Harness): Promise<string> {
  const code = await obtainCode(h);
  const { access_token } = (await (await requestToken(h, tokenFields(code))).json()) as { access_token: string };
  expect((await requestToken(h, tokenFields(code))).status).toBe(400);
  const [, payload] = access_token.split('.');
  return (JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { jti: string }).jti;
}

async function verifySet(set: string) {
  const jwks = createLocalJWKSet(jwksDocument(await testSigningKey()));
  return jwtVerify(set, jwks, { issuer: ISSUER, audience: RESOURCE, typ: 'secevent+jwt' });
}

let h: Harness;
let pushes: { url: string; contentType: string | null; body: string }[];
let answer: number;
beforeEach(async () => {
  pushes = [];
  answer = 202;
  h = await createHarness({
    config: {
      introspectionClients: [RS],
      securityEventFetch: async (url, init) => {
        pushes.push({ url: String(url), contentType: new Headers(init?.headers).get('content-type'), body: String(init?.body) });
        return new Response(null, { status: answer });
      },
    },
  });
});

describe('the revocation events endpoint (subscription and catch-up)', () => {
  it('is advertised in the metadata only beside introspection', async () => {
    expect(h.app.metadata.revocation_events_endpoint).toBe(`${ISSUER}/revocation-events`);
    const without = await createHarness();
    expect(without.app.metadata.revocation_events_endpoint).toBeUndefined();
  });

  it('a subscription answers this run\'s epoch and cursor, no-store', async () => {
    const response = await subscribe(h, { delivery_url: DELIVERY_URL });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ epoch: h.app.revocationLog.epoch, cursor: 0, sets: [] });
    expect(h.events.find((e) => e.kind === 'revocation.subscribed')).toMatchObject({ caller: 'weather-rs', resource: RESOURCE, delivery_url: DELIVERY_URL });
  });

  it('a first subscription is answered while the signing key is still being made (it has nothing to sign)', async () => {
    let keyReady!: (key: Awaited<ReturnType<typeof testSigningKey>>) => void;
    const pending = await createHarness({ config: { introspectionClients: [RS], signingKey: new Promise((resolve) => (keyReady = resolve)) } });
    const response = await subscribe(pending, { delivery_url: DELIVERY_URL });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ cursor: 0, sets: [] });
    keyReady(await testSigningKey());
  });

  it('traces a subscription when it begins, not its renewals, even one that catches up', async () => {
    const first = (await (await subscribe(h, { delivery_url: DELIVERY_URL })).json()) as { epoch: string };
    await revokeOneToken(h);
    await subscribe(h, { delivery_url: DELIVERY_URL, epoch: first.epoch, cursor: '0' }); // catches up seq 1
    await subscribe(h, { delivery_url: DELIVERY_URL, epoch: first.epoch, cursor: '1' });
    expect(h.events.filter((e) => e.kind === 'revocation.subscribed')).toHaveLength(1);
    await subscribe(h, { delivery_url: DELIVERY_URL, epoch: 'an-earlier-run', cursor: '3' }); // a new run for this caller
    expect(h.events.filter((e) => e.kind === 'revocation.subscribed')).toHaveLength(2);
  });

  it.each([
    { rule: 'RFC 7662 §2.1: no credentials', authorization: '', fields: {}, status: 401, error: 'invalid_client' },
    { rule: 'RFC 7662 §2.3: a wrong secret', authorization: basic(RS.client_id, 'x'.repeat(40)), fields: {}, status: 401, error: 'invalid_client' },
    { rule: 'only its own origin: a delivery URL elsewhere', authorization: undefined, fields: { delivery_url: 'http://localhost:9999/steal' }, status: 400, error: 'invalid_request' },
    { rule: 'a cursor that is not a number', authorization: undefined, fields: { cursor: '-1' }, status: 400, error: 'invalid_request' },
  ])('$rule is refused ($status $error)', async ({ authorization, fields, status, error }) => {
    const response = await subscribe(h, fields as Record<string, string>, authorization);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toBe(error);
    if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('catch-up returns the SETs after the cursor of this epoch, and all of them for another epoch', async () => {
    await revokeOneToken(h);
    await revokeOneToken(h);
    const epoch = h.app.revocationLog.epoch;
    const after1 = (await (await subscribe(h, { epoch, cursor: '1' })).json()) as { cursor: number; sets: string[] };
    expect(after1.cursor).toBe(2);
    expect(after1.sets).toHaveLength(1);
    const event = (await verifySet(after1.sets[0]!)).payload.events as Record<string, { seq: number; epoch: string }>;
    expect(event[ACCESS_TOKEN_REVOKED_EVENT]).toMatchObject({ seq: 2, epoch });
    const otherEpoch = (await (await subscribe(h, { epoch: 'an-earlier-run', cursor: '2' })).json()) as { sets: string[] };
    expect(otherEpoch.sets).toHaveLength(2);
  });
});

describe('RFC 8935 push of RFC 8417 revocation SETs', () => {
  it('a replayed code\'s revocation is pushed to the subscriber as a SET it can verify', async () => {
    await subscribe(h, { delivery_url: DELIVERY_URL });
    const jti = await revokeOneToken(h);
    await h.app.transmitter.settled();
    expect(pushes).toHaveLength(1);
    // RFC 8935 §2: POST, Content-Type application/secevent+jwt.
    expect(pushes[0]).toMatchObject({ url: DELIVERY_URL, contentType: SECURITY_EVENT_MEDIA_TYPE });
    // RFC 8417 §2.3: typ secevent+jwt; §2.2: iss, aud, iat, jti, events.
    expect(decodeProtectedHeader(pushes[0]!.body).typ).toBe('secevent+jwt');
    const { payload } = await verifySet(pushes[0]!.body);
    expect(payload).toMatchObject({ iss: ISSUER, aud: RESOURCE });
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp).toBeUndefined();
    const event = (payload.events as Record<string, { jti: string; seq: number; exp: number }>)[ACCESS_TOKEN_REVOKED_EVENT];
    expect(event).toMatchObject({ jti, seq: 1 });
    expect(event!.exp).toBeGreaterThan(Math.floor(Date.UTC(2025, 10, 25, 12) / 1000));
    expect(h.events.find((e) => e.kind === 'security_event.pushed')).toMatchObject({ to: RESOURCE, jti, seq: 1, delivered: true });
  });

  it('RFC 8417 §2.2 aud: a revocation is pushed only to the revoked token\'s audience; another RS neither receives it nor catches it up', async () => {
    const other: IntrospectionClient = { client_id: 'other-rs', client_secret: 'o'.repeat(40), resource: 'http://localhost:8002/mcp' };
    const otherDelivery = 'http://localhost:8002/security-events';
    h = await createHarness({
      config: {
        resources: [RESOURCE, other.resource],
        introspectionClients: [RS, other],
        securityEventFetch: async (url, init) => {
          pushes.push({ url: String(url), contentType: new Headers(init?.headers).get('content-type'), body: String(init?.body) });
          return new Response(null, { status: 202 });
        },
      },
    });
    await subscribe(h, { delivery_url: DELIVERY_URL });
    await subscribe(h, { delivery_url: otherDelivery }, basic(other.client_id, other.client_secret));
    await revokeOneToken(h); // a token for RESOURCE
    await h.app.transmitter.settled();
    expect(pushes.map((p) => p.url)).toEqual([DELIVERY_URL]);
    const caughtUp = (await (await subscribe(h, { epoch: 'another-run' }, basic(other.client_id, other.client_secret))).json()) as { sets: string[] };
    expect(caughtUp.sets).toEqual([]);
    const own = (await (await subscribe(h, { epoch: 'another-run' })).json()) as { sets: string[] };
    expect(own.sets).toHaveLength(1);
  });

  it('nothing is pushed to a resource server that has not subscribed', async () => {
    await revokeOneToken(h);
    await h.app.transmitter.settled();
    expect(pushes).toEqual([]);
  });

  it('a push the receiver refuses is traced as not delivered (the next catch-up brings it)', async () => {
    answer = 400;
    await subscribe(h, { delivery_url: DELIVERY_URL });
    await revokeOneToken(h);
    await h.app.transmitter.settled();
    expect(h.events.find((e) => e.kind === 'security_event.pushed')).toMatchObject({ status: 400, delivered: false });
    const caughtUp = (await (await subscribe(h, { epoch: h.app.revocationLog.epoch, cursor: '0' })).json()) as { sets: string[] };
    expect(caughtUp.sets).toHaveLength(1);
  });
});
