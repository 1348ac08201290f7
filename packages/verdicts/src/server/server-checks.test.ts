/**
 * The checks of `pnpm client URL --grade` against stub MCP servers, in-process (the fetch is a
 * function of a Request; no port): each answer the spec allows or forbids maps to the verdict
 * its rule says, with the evidence. The real servers are graded in test/e2e/server-grade.test.ts.
 */
import { createEmitter, type TraceEvent } from '@mcp-auth-demo/trace';
import { describe, expect, it } from 'vitest';
import { checkAsMetadata, checkChallenge401, checkPrm, type Discovered } from './discovery-checks.ts';
import type { ProbeContext } from './probe.ts';
import { checkAudience, checkQueryToken, checkSignature } from './token-checks.ts';
import { checkOrigin } from './transport-checks.ts';

const SERVER = 'http://localhost:38101/mcp';
const PRM = 'http://localhost:38101/.well-known/oauth-protected-resource/mcp';
const ISSUER = 'http://localhost:9000';
/** A JWT-shaped token (header.payload.signature); the stubs never verify it. */
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: ISSUER, sub: 'demo-user', aud: SERVER })).toString('base64url')}.c2ln`;

type Handler = (request: Request) => Response | Promise<Response>;

function context(handler: Handler): { ctx: ProbeContext; events: TraceEvent[]; requests: Request[] } {
  const events: TraceEvent[] = [];
  const requests: Request[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    return handler(request);
  }) as typeof globalThis.fetch;
  return { ctx: { serverUrl: SERVER, fetch, emit: createEmitter('client', (e) => events.push(e)) }, events, requests };
}

const challenge = (status: number, header: string | undefined) => () => new Response('{}', { status, headers: header ? { 'www-authenticate': header } : {} });

describe('challenge-401 (RFC 6750 §3, §3.1; RFC 9728 §5.1)', () => {
  it.each([
    ['401 with resource_metadata and scope, no error code', challenge(401, `Bearer resource_metadata="${PRM}", scope="mcp:connect"`), 'pass', /→ 401/],
    ['no scope: a SHOULD', challenge(401, `Bearer resource_metadata="${PRM}"`), 'warn', /no scope/],
    ['error="invalid_token" although no token was sent', challenge(401, `Bearer error="invalid_token", resource_metadata="${PRM}", scope="mcp:connect"`), 'warn', /although no token was sent/],
    ['200: the server lets anyone in', challenge(200, undefined), 'fail', /not 401/],
    ['401 without a Bearer challenge', challenge(401, undefined), 'fail', /no Bearer challenge/],
  ])('%s → %s', async (_rule, handler, verdict, evidence) => {
    const { ctx, events } = context(handler);
    const result = await checkChallenge401(ctx, {});
    expect(result).toMatchObject({ id: 'challenge-401', verdict, evidence: expect.stringMatching(evidence) });
    // Announced and graded in the trace.
    expect(events.map((e) => e.kind)).toEqual(['server_check.probed', 'server_check.graded']);
  });

  it('declares the probe (CONTRAST_HEADER), so a lab server does not grade the client for it', async () => {
    const { ctx, requests } = context(challenge(401, `Bearer resource_metadata="${PRM}", scope="mcp:connect"`));
    await checkChallenge401(ctx, {});
    expect(requests[0]!.headers.get('mcp-auth-demo-contrast')).toBe('grade:challenge-401');
  });
});

describe('prm (RFC 9728 §3.3) and as-metadata (RFC 8414 §3.3)', () => {
  const documents = (prm: unknown, as: unknown): Handler => (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/.well-known/oauth-protected-resource/mcp') return Response.json(prm);
    if (pathname === '/.well-known/oauth-authorization-server') return Response.json(as);
    return new Response(null, { status: 404 });
  };
  const goodAs = { issuer: ISSUER, code_challenge_methods_supported: ['S256'] };

  it.each([
    ['resource is the URL used, authorization_servers present', { resource: SERVER, authorization_servers: [ISSUER] }, 'pass'],
    ['RFC 9728 §3.3: resource not identical to the URL used', { resource: 'http://localhost:38101/', authorization_servers: [ISSUER] }, 'fail'],
    ['MCP: no authorization_servers', { resource: SERVER }, 'fail'],
  ])('prm: %s → %s', async (_rule, prm, verdict) => {
    const { ctx } = context(documents(prm, goodAs));
    expect((await checkPrm(ctx, {})).verdict).toBe(verdict);
  });

  it.each([
    ['issuer identical, S256 listed', goodAs, 'pass'],
    ['RFC 8414 §3.3: another issuer', { ...goodAs, issuer: 'http://localhost:9001' }, 'fail'],
    ['MCP "Authorization Code Protection": no S256', { issuer: ISSUER, code_challenge_methods_supported: ['plain'] }, 'fail'],
  ])('as-metadata: %s → %s', async (_rule, as, verdict) => {
    const { ctx } = context(documents({ resource: SERVER, authorization_servers: [ISSUER] }, as));
    const found: Discovered = {};
    await checkPrm(ctx, found);
    expect((await checkAsMetadata(ctx, found)).verdict).toBe(verdict);
  });
});

describe('tokens the server must refuse, and Origin', () => {
  const answering = (status: number, error?: string): Handler => () =>
    new Response('{}', { status, headers: status === 401 ? { 'www-authenticate': `Bearer resource_metadata="${PRM}"${error ? `, error="${error}"` : ''}` } : {} });

  it.each([
    ['401 invalid_token', answering(401, 'invalid_token'), 'pass'],
    ['401 without error="invalid_token" (a SHOULD)', answering(401), 'warn'],
    ['200: an altered token accepted', answering(200), 'fail'],
    ['403: not 401 (MCP "Token Handling")', answering(403), 'fail'],
  ])('signature: %s → %s', async (_rule, handler, verdict) => {
    const { ctx, requests } = context(handler);
    expect((await checkSignature(ctx, { token: TOKEN })).verdict).toBe(verdict);
    // The same signature under another payload: nothing was forged, one claim changed.
    const sent = requests[0]!.headers.get('authorization')!.slice('Bearer '.length).split('.');
    expect(sent[2]).toBe(TOKEN.split('.')[2]);
    expect(sent[1]).not.toBe(TOKEN.split('.')[1]);
  });

  it.each([
    ['refused', answering(401, 'invalid_token'), 'pass'],
    ['accepted', answering(200), 'fail'],
  ])('query-token: a token in ?access_token= %s → %s', async (_rule, handler, verdict) => {
    const { ctx, requests } = context(handler);
    expect((await checkQueryToken(ctx, { token: TOKEN })).verdict).toBe(verdict);
    expect(new URL(requests[0]!.url).searchParams.get('access_token')).toBe(TOKEN);
    expect(requests[0]!.headers.get('authorization')).toBeNull();
  });

  it.each([
    ['403', answering(403), 'pass'],
    ['200: accepted', answering(200), 'fail'],
  ])('origin: a foreign Origin answered %s → %s', async (_rule, handler, verdict) => {
    const { ctx, requests } = context(handler);
    expect((await checkOrigin(ctx, TOKEN)).verdict).toBe(verdict);
    expect(requests[0]!.headers.get('origin')).toBe('http://evil.example');
  });

  it.each([
    ['an AS that is not on loopback (not the lab\'s)', { token: TOKEN, issuer: 'https://as.example.com' }, /not the lab's/],
    ['no AS named', { token: TOKEN }, /no authorization server was named/],
    ['a token the named AS did not issue', { token: TOKEN, issuer: 'http://localhost:9001' }, /not issued by http:\/\/localhost:9001/],
  ])('audience against %s: not-seen with the reason, and nothing is sent anywhere', async (_rule, input, reason) => {
    const { ctx, requests } = context(answering(200));
    expect(await checkAudience(ctx, input)).toMatchObject({ verdict: 'not-seen', evidence: expect.stringMatching(reason) });
    expect(requests).toEqual([]);
  });
});
