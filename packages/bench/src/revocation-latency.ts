/**
 * Revocation latency at the resource server, with revocation by push on (docs/revocation.md):
 * the time from the AS's revocation answer to the first request the RS refuses.
 *
 * Each revocation is the one a client can cause for real: a replayed authorization code
 * (RFC 6749 §4.1.2: the AS "SHOULD revoke ... all tokens previously issued based on that
 * authorization code"). Per sample: authorize (loopback redirect, auto-approved), redeem the
 * code, present the token once (so the RS holds it verified), replay the code; the clock starts
 * when the replay's `invalid_grant` answer arrives and stops when a `tools/call` with the token
 * is answered 401 `invalid_token`. The RS is asked again and again until then, so the figure
 * also says how many requests the RS still accepted after the AS had answered (`acceptedAfter`).
 */
import { s256CodeChallenge } from '@mcp-auth-demo/common';
import { randomBytes } from 'node:crypto';
import { percentile } from './percentile.ts';

export interface RevocationLatencyFigures {
  n: number;
  /** Milliseconds from the AS's answer to the RS's first 401, percentiles over `n` revocations. */
  p50: number;
  p99: number;
  max: number;
  /** Requests the RS accepted (200) after the AS had answered the replay, over all samples. */
  acceptedAfter: number;
}

export interface RevocationTarget {
  issuer: string;
  resource: string;
  clientId: string;
  redirectUri: string;
}

/** Gives up on one sample after this many requests: a token never refused is a failure, not a figure. */
const MAX_POLLS = 10_000;

const toolCall = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } });

function callWhoami(resource: string, token: string): Promise<Response> {
  return fetch(resource, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      authorization: `Bearer ${token}`,
    },
    body: toolCall,
  });
}

async function issueRevocableToken(target: RevocationTarget): Promise<{ token: string; replay: () => Promise<Response> }> {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/authorize', target.issuer);
  for (const [name, value] of Object.entries({
    response_type: 'code', client_id: target.clientId, redirect_uri: target.redirectUri, code_challenge: s256CodeChallenge(verifier),
    code_challenge_method: 'S256', state: 'bench-revocation', scope: 'mcp:connect', resource: target.resource,
  })) authorize.searchParams.set(name, value);
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  const code = redirect.status === 302 && location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`bench: /authorize answered ${redirect.status} without a code`);
  const redeem = () =>
    fetch(new URL('/token', target.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: target.redirectUri, client_id: target.clientId, code_verifier: verifier, resource: target.resource }).toString(),
    });
  const first = await redeem();
  if (first.status !== 200) throw new Error(`bench: /token answered ${first.status}`);
  const { access_token: token } = (await first.json()) as { access_token: string };
  return { token, replay: redeem };
}

export async function measureRevocationLatency(target: RevocationTarget, n: number): Promise<RevocationLatencyFigures> {
  const samples: number[] = [];
  let acceptedAfter = 0;
  for (let i = 0; i < n; i += 1) {
    const { token, replay } = await issueRevocableToken(target);
    const before = await callWhoami(target.resource, token);
    await before.body?.cancel();
    if (before.status !== 200) throw new Error(`bench: the RS refused a fresh token (${before.status})`);

    const replayed = await replay();
    const answeredAt = performance.now();
    await replayed.body?.cancel();
    if (replayed.status !== 400) throw new Error(`bench: the replayed code was answered ${replayed.status}, not 400 invalid_grant`);
    for (let polls = 0; ; polls += 1) {
      if (polls === MAX_POLLS) throw new Error(`bench: the RS still accepted a revoked token after ${MAX_POLLS} requests`);
      const response = await callWhoami(target.resource, token);
      await response.body?.cancel();
      if (response.status === 401) {
        samples.push(performance.now() - answeredAt);
        break;
      }
      if (response.status !== 200) throw new Error(`bench: the RS answered ${response.status} to a revoked token, not 401`);
      acceptedAfter += 1;
    }
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { n, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN, acceptedAfter };
}
