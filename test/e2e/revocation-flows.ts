/**
 * The requests the revocation e2e tests make, as a client and an attacker would: an MCP call with
 * a bearer token, and a token revoked by a replayed code (RFC 6749 §4.1.2) at the real AS.
 */
import { monotonicMicros } from '@mcp-auth-demo/trace';
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';

interface Urls {
  issuer: string;
  resource: string;
  clientBase: string;
}

/** An MCP initialize with `token` (RFC 6750 §2.1, the Authorization header). */
export function mcpCall(urls: Pick<Urls, 'resource'>, token: string): Promise<Response> {
  return fetch(urls.resource, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '0' } } }),
  });
}

/**
 * Authorizes (the AS auto-approves the loopback redirect) and redeems the code: the token, and
 * `redeem` to present the same code again (a replay).
 */
export async function issueToken(urls: Urls): Promise<{ token: string; redeem: () => Promise<Response> }> {
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
  const { access_token: token } = (await first.json()) as { access_token: string };
  return { token, redeem };
}

/**
 * Issues a token, lets `use` present it while it is good, then redeems the code again: refused,
 * and the token revoked. `replayAnsweredAt` is when the replay's answer arrived, on the trace's
 * monotonic clock.
 */
export async function revokedByReplay(urls: Urls, use?: (token: string) => Promise<Response>): Promise<{ token: string; replayAnsweredAt: number }> {
  const { token, redeem } = await issueToken(urls);
  if (use) expect((await use(token)).status).toBe(200);

  const replay = await redeem();
  const replayAnsweredAt = monotonicMicros();
  expect(replay.status).toBe(400);
  expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
  return { token, replayAnsweredAt };
}
