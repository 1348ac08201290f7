/**
 * The authorization server under load: full authorization-code flows (GET /authorize, which
 * auto-approves a loopback redirect and answers 302 with a code, then POST /token redeeming it
 * with the PKCE verifier), in consecutive batches, to see whether the rate stays flat as codes
 * pile up; and the floor any RS256 issuer has: bare Hono signing one JWT per request.
 */
import type autocannon from 'autocannon';
import { s256CodeChallenge } from '@mcp-auth-demo/common';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { load, type LoadFigures } from './load.ts';

export interface AsFigures {
  /** Flows per second, one entry per batch, in order. */
  batches: { flows: number; rate: number; p50: number; p99: number }[];
  signBaseline: LoadFigures;
}

export interface FlowTarget {
  issuer: string;
  resource: string;
  clientId: string;
  redirectUri: string;
}

function flowRequests(target: FlowTarget) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = s256CodeChallenge(verifier);
  const authorize = new URL('/authorize', target.issuer);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: target.clientId,
    redirect_uri: target.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'bench-state-0123456789',
    scope: 'mcp:connect',
    resource: target.resource,
  })) authorize.searchParams.set(name, value);

  type Context = { code?: string };
  const failures: string[] = [];
  const requests: autocannon.Request[] = [
    {
      method: 'GET' as const,
      path: `${authorize.pathname}${authorize.search}`,
      onResponse: (status: number, _body: string, context: object, headers?: IncomingHttpHeaders) => {
        // autocannon keeps the header names' case as sent.
        const location = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'location')?.[1];
        const code = status === 302 && typeof location === 'string' ? new URL(location).searchParams.get('code') : null;
        if (!code && failures.length < 5) failures.push(`/authorize answered ${status} without a code`);
        (context as Context).code = code ?? '';
      },
    },
    {
      method: 'POST' as const,
      path: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      setupRequest: (request: autocannon.Request, context: object) => ({
        ...request,
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: (context as Context).code ?? '',
          redirect_uri: target.redirectUri,
          client_id: target.clientId,
          code_verifier: verifier,
          resource: target.resource,
        }).toString(),
      }),
      onResponse: (status: number) => {
        if (status !== 200 && failures.length < 5) failures.push(`/token answered ${status}`);
      },
    },
  ];
  return { requests, failures };
}

export async function measureAsFlows(target: FlowTarget, signUrl: string, flowsPerBatch: number, batchCount: number): Promise<AsFigures> {
  const connections = 8;
  const { requests, failures } = flowRequests(target);
  const batches: AsFigures['batches'] = [];
  for (let i = 0; i < batchCount; i += 1) {
    // Every /authorize answers 302, so statuses are checked per request above, not by `load`.
    const figures = await load({ url: target.issuer, connections, amount: flowsPerBatch * 2, requests, checkStatus: false });
    if (failures.length > 0) throw new Error(`bench: authorization flows failed: ${failures.join('; ')}`);
    batches.push({ flows: figures.requests / 2, rate: figures.rate / 2, p50: figures.p50, p99: figures.p99 });
  }
  const signBaseline = await load({
    url: `${signUrl}/sign`,
    connections,
    amount: flowsPerBatch,
    requests: [{ method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }],
  });
  return { batches, signBaseline };
}
