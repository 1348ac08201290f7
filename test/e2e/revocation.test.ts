/**
 * Revocation reaches the resource server (RFC 7662), end to end, in the contrast mode
 * `--introspect-every-request` (the default pushes revocations: revocation-push.test.ts): the real
 * AS, RS and client host as processes (started by the stack, which gives the RS its introspection
 * secret), real HTTP on loopback. A replayed code revokes the token it issued (RFC 6749 §4.1.2);
 * the RS, which had accepted that token a moment before, refuses it on the very next request.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { freePorts, startStack, urlsForPorts, type Stack } from '@mcp-auth-demo/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpCall, revokedByReplay } from './revocation-flows.ts';

let stack: Stack;
let urls: ReturnType<typeof urlsForPorts>;
const events: TraceEvent[] = [];

beforeAll(async () => {
  urls = urlsForPorts(await freePorts());
  stack = startStack(urls, (event) => events.push(event), { introspectEveryRequest: true });
  await stack.ready;
});
afterAll(async () => {
  await stack?.stop();
});

describe('revocation through RFC 7662 introspection (--introspect-every-request), real processes', () => {
  it('a replayed code revokes its token and the RS refuses that token at once (401 invalid_token)', async () => {
    const { token } = await revokedByReplay(urls, (t) => mcpCall(urls, t));

    const refused = await mcpCall(urls, token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

    // Both sides of the introspection are in the trace: the AS's reason, the RS's verdict.
    const introspected = events.filter((e): e is Extract<TraceEvent, { kind: 'token.introspected' }> => e.kind === 'token.introspected');
    expect(introspected.filter((e) => e.party === 'authorization-server').map((e) => [e.active, e.reason ?? null])).toEqual([[true, null], [false, 'revoked']]);
    expect(events.find((e) => e.kind === 'token.rejected' && e.party === 'resource-server')).toMatchObject({ reason: 'revoked' });
    // No subscription in this mode: nothing is pushed.
    expect(events.filter((e) => e.kind === 'revocation.subscribed' || e.kind === 'security_event.pushed')).toEqual([]);
  });
});
