/**
 * Revocation by push, end to end (docs/revocation.md): the stack's default. The real AS, RS and
 * client host as processes, real HTTP on loopback, ephemeral ports. The RS subscribes to the AS's
 * revocation events before the stack is ready (RFC 8935 push of RFC 8417 SETs); a replayed code
 * revokes the token it issued (RFC 6749 §4.1.2), the AS pushes that revocation before it answers
 * the replay, and the RS refuses the token on the very next request without asking the AS.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { freePorts, startStack, urlsForPorts, type Stack } from '@mcp-auth-demo/stack';
import { isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpCall, revokedByReplay } from './revocation-flows.ts';

let stack: Stack;
let urls: ReturnType<typeof urlsForPorts>;
let ports: Awaited<ReturnType<typeof freePorts>>;
const events: TraceEvent[] = [];
let readyAt = 0;

beforeAll(async () => {
  ports = await freePorts();
  urls = urlsForPorts(ports);
  stack = startStack(urls, (event) => events.push(event));
  await stack.ready;
  readyAt = events.length;
});
afterAll(async () => {
  await stack?.stop();
});

describe('revocation pushed to the RS (RFC 8935), real processes', () => {
  it('the stack is ready only once the RS\'s revocation channel is live: the subscription precedes every request', () => {
    const before = events.slice(0, readyAt).map((e) => e.kind);
    expect(before).toContain('revocation.subscribed');
    expect(before).toContain('revocation_channel.live');
  });

  it('a replayed code\'s token is refused by the RS at once (401 invalid_token), pushed, never introspected', async () => {
    const { token, replayAnsweredAt } = await revokedByReplay(urls, (t) => mcpCall(urls, t));
    const refused = await mcpCall(urls, token);
    expect(refused.status).toBe(401);
    // RFC 6750 §3.1: invalid_token, with the challenge naming the resource metadata.
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token".*resource_metadata="/);
    const received = events.find((e): e is Extract<TraceEvent, { kind: 'security_event.received' }> => e.kind === 'security_event.received');
    // Pushed; on a busy machine the RS's periodic renewal (a catch-up from its cursor) can carry
    // the same SET a moment before the push lands: either way it came from the channel, and the
    // push itself is asserted delivered below.
    expect(received).toMatchObject({ seq: 1 });
    expect(['push', 'catch-up']).toContain(received!.via);
    // The AS answered the replay only after the RS had the revocation (app.ts waits for the push).
    expect(received!.at).toBeLessThan(replayAnsweredAt);
    expect(events.find((e) => e.kind === 'security_event.pushed')).toMatchObject({ delivered: true, to: urls.resource });
    expect(events.find((e) => e.kind === 'token.rejected' && e.party === 'resource-server')).toMatchObject({ reason: 'revoked' });
    expect(events.filter((e) => e.kind === 'token.introspected')).toEqual([]);
  });

  it('leaves no process and no port behind', async () => {
    await stack.stop();
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(`MCP_DEMO_RESOURCE=${urls.resource}`)).toEqual([]);
  });
});
