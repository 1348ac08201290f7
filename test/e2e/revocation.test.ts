/**
 * Revocation reaches the resource server (RFC 7662), end to end: the real AS, RS and client host
 * as processes (started by the stack, which gives the RS its introspection secret), real HTTP on
 * loopback. A replayed code revokes the token it issued (RFC 6749 §4.1.2); the RS, which had
 * accepted that token a moment before, refuses it on the very next request.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { freePorts, startStack, urlsForPorts, type Stack } from '@mcp-auth-demo/stack';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: Stack;
let urls: ReturnType<typeof urlsForPorts>;
const events: TraceEvent[] = [];

beforeAll(async () => {
  urls = urlsForPorts(await freePorts());
  stack = startStack(urls, (event) => events.push(event));
  await stack.ready;
});
afterAll(async () => {
  await stack?.stop();
});

function mcpCall(token: string) {
  return fetch(urls.resource, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '0' } } }),
  });
}

describe('revocation through RFC 7662 introspection, real processes', () => {
  it('a replayed code revokes its token and the RS refuses that token at once (401 invalid_token)', async () => {
    const clientId = `${urls.clientBase}/client-metadata.json`;
    const redirectUri = `${urls.clientBase}/callback`;
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL(`${urls.issuer}/authorize`);
    for (const [name, value] of Object.entries({
      response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge,
      code_challenge_method: 'S256', resource: urls.resource, scope: 'mcp:connect', state: 's',
    })) authorize.searchParams.set(name, value);
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;

    const redeem = () =>
      fetch(`${urls.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier, resource: urls.resource }),
      });
    const first = await redeem();
    expect(first.status).toBe(200);
    const { access_token } = (await first.json()) as { access_token: string };

    expect((await mcpCall(access_token)).status).toBe(200);

    const replay = await redeem();
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');

    const refused = await mcpCall(access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

    // Both sides of the introspection are in the trace: the AS's reason, the RS's verdict.
    const introspected = events.filter((e): e is Extract<TraceEvent, { kind: 'token.introspected' }> => e.kind === 'token.introspected');
    expect(introspected.filter((e) => e.party === 'authorization-server').map((e) => [e.active, e.reason ?? null])).toEqual([[true, null], [false, 'revoked']]);
    expect(events.find((e) => e.kind === 'token.rejected' && e.party === 'resource-server')).toMatchObject({ reason: 'revoked' });
  });
});
