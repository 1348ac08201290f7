/**
 * Issue 25: the default run shows each defence holding (client contrasts.ts). The contrasts are
 * real requests to the real apps, in-process; with a defence switched off (a broken party in
 * front of the real one), the contrast says "NOT refused" and the journey fails (the demo exits 1).
 */
import { createAuthorizationServer, generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { clientUrls, createClientHost, runJourney } from '@mcp-auth-demo/client';
import { inProcessFetch, type RequestHandler } from '@mcp-auth-demo/common/testing';
import { createResourceServer } from '@mcp-auth-demo/resource-server';
import { formatTrace, type TraceEvent } from '@mcp-auth-demo/trace';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

const ISSUER = 'http://localhost:9000';
const RESOURCE = 'http://localhost:8001/mcp';
const OTHER = 'http://localhost:8001/other/mcp';
const CLIENT_BASE = 'http://localhost:3000';
let signingKey: Awaited<ReturnType<typeof generateSigningKey>>;
beforeAll(async () => {
  signingKey = await generateSigningKey();
});

type Wrap = (real: RequestHandler) => RequestHandler;

/** The lab of `pnpm demo`: the AS also issues for OTHER, which no server serves (the audience contrast). */
async function run(options: { wrapAs?: Wrap; wrapRs?: (real: RequestHandler, acceptingOther: RequestHandler) => RequestHandler } = {}) {
  const events: TraceEvent[] = [];
  const onEvent = (e: TraceEvent) => events.push(e);
  const clientHost = createClientHost({ baseUrl: CLIENT_BASE, onEvent });
  const realAs = createAuthorizationServer({
    issuer: ISSUER, resources: [RESOURCE, OTHER], signingKey, dangerouslyAllowLoopbackHttp: true,
    fetch: inProcessFetch({ [CLIENT_BASE]: clientHost }), onEvent,
  });
  const as = options.wrapAs ? options.wrapAs(realAs) : realAs;
  const rsOf = (resource: string) => createResourceServer({
    resource, authorizationServer: ISSUER, dangerouslyAllowLoopbackHttp: true, fetch: inProcessFetch({ [ISSUER]: as }), onEvent,
  });
  const realRs = rsOf(RESOURCE);
  const rs = options.wrapRs ? options.wrapRs(realRs, rsOf(OTHER)) : realRs;
  const { clientId, redirectUri } = clientUrls(CLIENT_BASE);
  const result = await runJourney({
    serverUrl: RESOURCE,
    registration: { clientMetadataUrl: clientId, redirectUri, clientName: 'MCP Auth Demo Client' },
    calls: [{ name: 'whoami', arguments: {} }, { name: 'get_weather', arguments: { city: 'Paris' } }],
    contrasts: { decoys: true, otherResource: OTHER },
    fetch: inProcessFetch({ [ISSUER]: as, [RESOURCE]: rs, [CLIENT_BASE]: clientHost }),
    onEvent,
  });
  return { result, events };
}

const of = <K extends TraceEvent['kind']>(events: TraceEvent[], kind: K) => events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);

/** An AS without PKCE: a failed verification is answered with a token anyway. */
const ignoresPkce: Wrap = (real) => ({
  async request(input, init) {
    const response = await real.request(input, init);
    if (!String(input instanceof Request ? input.url : input).endsWith('/token') || response.status !== 400) return response;
    return Response.json({ access_token: 'forged', token_type: 'Bearer', expires_in: 60 });
  },
});

/** An AS that redirects to any redirect_uri. */
const redirectsAnywhere: Wrap = (real) => ({
  request(input, init) {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = url.searchParams.get('redirect_uri');
    if (url.pathname === '/authorize' && target?.startsWith('https://attacker.example/')) {
      return new Response(null, { status: 302, headers: { Location: `${target}?code=stolen&state=${url.searchParams.get('state')}` } });
    }
    return real.request(input, init);
  },
});

/**
 * An AS that first sends the browser to a sign-in page of its own (same origin) when the
 * redirect_uri is the attacker's; the page then shows itself (`showsPage`) or redirects there.
 */
const signInFirst = (showsPage: boolean): Wrap => (real) => ({
  request(input, init) {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = url.searchParams.get('redirect_uri');
    if (url.pathname === '/authorize' && target?.startsWith('https://attacker.example/')) {
      return new Response(null, { status: 302, headers: { Location: `/sign-in?then=${encodeURIComponent(`${target}?code=stolen`)}` } });
    }
    if (url.pathname === '/sign-in') {
      if (showsPage) return new Response('<h1>Sign in</h1>', { status: 200, headers: { 'Content-Type': 'text/html' } });
      return new Response(null, { status: 302, headers: { Location: url.searchParams.get('then')! } });
    }
    return real.request(input, init);
  },
});

/** An RS that skips the aud check: a token for the other server is served as if it were its own. */
const ignoresAudience = (real: RequestHandler, acceptingOther: RequestHandler): RequestHandler => ({
  request(input, init) {
    const token = new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '');
    const aud = token ? decodeJwt(token).aud : undefined;
    return aud === OTHER ? acceptingOther.request(input, init) : real.request(input, init);
  },
});

describe('the default run shows the defences holding: real requests, real refusals', () => {
  it('the redirect_uri check, PKCE and aud each refuse, by the server whose rule it is, and the journey goes on', async () => {
    const { result, events } = await run();
    expect(result.ok).toBe(true);
    expect(of(events, 'contrast.refused').map((e) => [e.contrast, e.by, e.status, e.error])).toEqual([
      ['redirect_uri', 'authorization-server', 400, undefined],
      ['pkce', 'authorization-server', 400, 'invalid_grant'],
      ['audience', 'resource-server', 401, 'invalid_token'],
    ]);
    expect(of(events, 'contrast.not_refused')).toEqual([]);
    // The servers' own decisions, not the client's word: the AS's PKCE failure, the RS's aud refusal.
    expect(of(events, 'pkce.failed')).toHaveLength(1);
    expect(of(events, 'token.rejected').map((e) => e.reason)).toEqual(['wrong_audience']);
    // The journey's own code is never the decoy's: its two tokens both work.
    expect(result.tokens.map((t) => decodeJwt(t.access_token).aud)).toEqual([RESOURCE, RESOURCE]);
  });

  it('the lesson stays within 100 lines of at most 120 columns, each contrast beside its step', async () => {
    const { events } = await run();
    const lines = formatTrace(events, { color: false, detail: 'lesson' }).split('\n');
    expect(lines.length).toBeLessThanOrEqual(100);
    expect(lines.filter((l) => [...l].length > 120)).toEqual([]);
    const step = (n: number) => lines.findIndex((l) => l.startsWith(`[${n}] `));
    const refusals = lines.flatMap((l, i) => (l.startsWith('    ⛔ refused by') ? [i] : []));
    expect(refusals).toHaveLength(3);
    expect(refusals.slice(0, 2).every((i) => i > step(2) && i < step(3))).toBe(true);
    expect(refusals[2]! > step(3) && refusals[2]! < step(4)).toBe(true);
    expect(lines.join('\n')).toMatch(/→ POST http:\/\/localhost:9000\/token {2}code \+ code_verifier=\S+… {2}← 400 invalid_grant\n {8}AS {2}PKCE failed/);
  });
});

describe('with a defence switched off, the contrast says NOT refused and the journey fails', () => {
  it.each([
    ['pkce', 'an AS that ignores PKCE', { wrapAs: ignoresPkce }],
    ['redirect_uri', 'an AS that redirects anywhere', { wrapAs: redirectsAnywhere }],
    ['redirect_uri', 'an AS that redirects there after a sign-in page of its own', { wrapAs: signInFirst(false) }],
    ['audience', 'an RS that skips the aud check', { wrapRs: ignoresAudience }],
  ] as const)('%s: %s', async (contrast, _who, options) => {
    const { result, events } = await run(options);
    expect(result.ok).toBe(false);
    expect(of(events, 'contrast.not_refused').map((e) => e.contrast)).toEqual([contrast]);
    expect(of(events, 'journey.failed')).toHaveLength(1);
    expect(formatTrace(events, { color: false, detail: 'lesson' })).toContain('✘ NOT refused by');
  });
});

describe('the redirect_uri contrast judges the MUST, "never redirected there" (RFC 6749 §4.1.2.1), not a status', () => {
  it('an AS that answers with a page of its own (a sign-in that would check later) has not redirected: refused, with its status', async () => {
    const { result, events } = await run({ wrapAs: signInFirst(true) });
    expect(result.ok).toBe(true);
    expect(of(events, 'contrast.refused').find((e) => e.contrast === 'redirect_uri')).toMatchObject({ status: 200 });
  });

  it('each attack request names its contrast (CONTRAST_HEADER), so the AS\'s trace and the verdicts can tell it from the journey', async () => {
    const { events } = await run();
    const attacks = of(events, 'authorization.received').filter((e) => e.params.redirect_uri === 'https://attacker.example/callback');
    expect(attacks.map((e) => e.contrast)).toEqual(['redirect_uri']);
    expect(of(events, 'request.rejected').filter((e) => e.contrast).map((e) => [e.path, e.contrast])).toEqual([
      ['/authorize', 'redirect_uri'],
      ['/token', 'decoy'],
    ]);
    expect(of(events, 'authorization.received').filter((e) => e.params.redirect_uri !== 'https://attacker.example/callback').every((e) => !e.contrast)).toBe(true);
  });
});
