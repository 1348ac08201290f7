/**
 * Issue 9: the scenario harness can fail. The same scenarios run against the real apps
 * in-process; with a defence switched off (a configuration without it, or a broken party in
 * front of the real one), the scenario must report "not held", never a false "held".
 */
import { createAuthorizationServer, generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { createClientHost } from '@mcp-auth-demo/client';
import { RESOURCE_SERVER_CLIENT_ID } from '@mcp-auth-demo/common';
import { formatMermaid, type TraceEvent } from '@mcp-auth-demo/trace';
import { arrowsOfBoth } from './support/picture-page.ts';
import { inProcessFetch, type RequestHandler } from '@mcp-auth-demo/common/testing';
import { createResourceServer } from '@mcp-auth-demo/resource-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario, scenarioContext, SCENARIOS, SHORT_LIVED_TOKEN_SECONDS } from '@mcp-auth-demo/stack';

const urls = { issuer: 'http://localhost:9000', resource: 'http://localhost:8001/mcp', clientBase: 'http://localhost:3000', otherResource: 'http://localhost:8002/mcp', shortLivedResource: 'http://localhost:8003/mcp' };
const SECRET = 'in-process-introspection-secret-of-40-chars';
let signingKey: Awaited<ReturnType<typeof generateSigningKey>>;
beforeAll(async () => {
  signingKey = await generateSigningKey();
});

function lab(options: { introspection?: boolean; wrapAs?: (as: RequestHandler) => RequestHandler; shortLivedClockTolerance?: number } = {}) {
  const events: TraceEvent[] = [];
  const onEvent = (e: TraceEvent) => events.push(e);
  const clientHost = createClientHost({ baseUrl: urls.clientBase, onEvent });
  // The attacker's document host of client-impersonation is a real loopback server: let it through.
  const passThrough = (input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init);
  const realAs = createAuthorizationServer({
    issuer: urls.issuer, resources: [urls.resource, urls.otherResource, urls.shortLivedResource], signingKey, dangerouslyAllowLoopbackHttp: true,
    accessTokenTtlSecondsByResource: { [urls.shortLivedResource]: SHORT_LIVED_TOKEN_SECONDS },
    fetch: async (input, init) => (String(input).startsWith(urls.clientBase)
      ? inProcessFetch({ [urls.clientBase]: clientHost })(input, init) : passThrough(input, init)),
    introspectionClients: [{ client_id: RESOURCE_SERVER_CLIENT_ID, client_secret: SECRET, resource: urls.resource }],
    onEvent,
  });
  const as = options.wrapAs ? options.wrapAs(realAs) : realAs;
  const rs = createResourceServer({
    resource: urls.resource, authorizationServer: urls.issuer, dangerouslyAllowLoopbackHttp: true,
    fetch: inProcessFetch({ [urls.issuer]: as }),
    ...(options.introspection !== false && { introspection: { clientId: RESOURCE_SERVER_CLIENT_ID, clientSecret: SECRET, cacheSeconds: 0 } }),
    onEvent,
  });
  // The second MCP server of token-for-another-server: its own resource URI, the same AS.
  const other = createResourceServer({
    resource: urls.otherResource, authorizationServer: urls.issuer, dangerouslyAllowLoopbackHttp: true,
    fetch: inProcessFetch({ [urls.issuer]: as }), onEvent,
  });
  // The short-lived server of expired-token: 1-second tokens, and (one clock) no skew allowed.
  const shortLived = createResourceServer({
    resource: urls.shortLivedResource, authorizationServer: urls.issuer, dangerouslyAllowLoopbackHttp: true,
    clockToleranceSeconds: options.shortLivedClockTolerance ?? 0,
    fetch: inProcessFetch({ [urls.issuer]: as }), onEvent,
  });
  const fetch = inProcessFetch({ [urls.issuer]: as, [urls.resource]: rs, [urls.otherResource]: other, [urls.shortLivedResource]: shortLived, [urls.clientBase]: clientHost });
  return { events, ctx: scenarioContext(urls, fetch, onEvent) };
}

const byName = (name: string) => SCENARIOS.find((s) => s.name === name)!;

describe('scenarios against the real apps, in-process', () => {
  it.each(SCENARIOS.map((s) => [s.name]))('%s: the defence holds', async (name) => {
    const { ctx, events } = lab();
    const outcome = await runScenario(byName(name), ctx);
    expect(outcome).toMatchObject({ held: true });
    expect(events.filter((e) => e.kind === 'scenario.finished').map((e) => e.kind === 'scenario.finished' && e.held)).toEqual([true]);
  });
});

describe('scope-overwrite sets the union rule beside the naive client', () => {
  it('the naive token is refused even the tool it stepped up for; the union token gets it', async () => {
    const { ctx, events } = lab();
    await runScenario(byName('scope-overwrite'), ctx);
    const at = (kind: TraceEvent['kind']) => events.findIndex((e) => e.kind === kind);
    const invoked = events.flatMap((e, i) => (e.kind === 'tool.invoked' ? [[e.name, i] as const] : []));
    const insufficient = events.flatMap((e) => (e.kind === 'scope.insufficient' ? [[e.tool, e.held.join(' ')]] : []));
    expect(insufficient).toEqual([['get_weather', 'mcp:connect'], ['get_weather', 'weather:read']]);
    expect(at('scenario.refused')).toBeLessThan(at('scenario.contrast'));
    expect(invoked).toEqual([['get_weather', expect.any(Number)]]);
    expect(invoked[0]![1]).toBeGreaterThan(at('scenario.contrast'));
  });
});

describe('the harness can fail: a defence switched off is reported "not held"', () => {
  it('code-replay: an MCP server that never asks the AS about revocation lets the revoked token through', async () => {
    const { ctx, events } = lab({ introspection: false });
    const outcome = await runScenario(byName('code-replay'), ctx);
    expect(outcome).toEqual({ held: false, why: 'the token issued from the replayed code still works at the MCP server' });
    const finished = events.find((e) => e.kind === 'scenario.finished');
    expect(finished).toMatchObject({ held: false, name: 'code-replay' });
  });

  it('expired-token: an MCP server that tolerates a minute of clock skew accepts the expired token', async () => {
    const { ctx } = lab({ shortLivedClockTolerance: 60 });
    expect(await runScenario(byName('expired-token'), ctx)).toEqual({ held: false, why: 'the MCP server accepted an expired access token' });
  });

  it('redirect-hijack: an AS that redirects to any redirect_uri is caught', async () => {
    const broken = (real: RequestHandler): RequestHandler => ({
      request: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const redirect = url.searchParams.get('redirect_uri');
        if (url.pathname === '/authorize' && redirect?.startsWith('https://attacker.example')) {
          return new Response(null, { status: 302, headers: { Location: `${redirect}?code=stolen&state=${url.searchParams.get('state')}` } });
        }
        return real.request(input, init);
      },
    });
    const { ctx } = lab({ wrapAs: broken });
    expect(await runScenario(byName('redirect-hijack'), ctx)).toMatchObject({ held: false });
  });
});

describe('--diagram of a scenario', () => {
  it.each(SCENARIOS.map((s) => s.name))('%s: the page draws the same arrows as --diagram, the attacker\'s from its own lane', async (name) => {
    const { ctx, events } = lab();
    await runScenario(byName(name), ctx);
    const { picture, diagram } = arrowsOfBoth(events);
    expect(picture.length).toBeGreaterThan(0);
    expect(picture).toEqual(diagram);
  });

  it('the other MCP server gets its own participant; the replay is drawn from the misbehaving party, the refusal over the RS', async () => {
    const { ctx, events } = lab();
    await runScenario(byName('token-for-another-server'), ctx);
    const diagram = formatMermaid(events);
    expect(diagram).toContain('participant RS2 as other MCP servers');
    expect(diagram).toMatch(/C->>RS2: POST \/mcp initialize → 200\n\s+RS2->>AS: GET \/jwks/);
    expect(diagram).toMatch(/X->>RS: POST \/mcp initialize → 401\n(.*\n)*?\s+Note over RS: token rejected: wrong_audience\n\s+Note over RS: ⛔ refused: 401 invalid_token\./);
  });

  it('a journey inside a scenario keeps one section: its steps are headings, the clock a note over the client', async () => {
    const { ctx, events } = lab();
    await runScenario(byName('expired-token'), ctx);
    const diagram = formatMermaid(events);
    expect(diagram.match(/^\s+rect /gm)).toHaveLength(1);
    expect(diagram).toMatch(/Note over U,RS: \[4\] Call whoami\n\s+Note over C: ⚔ time: .*\n\s+C->>RS: POST \/mcp tools\/call whoami → 401/);
    expect(diagram).toContain('Note over AS: token refreshed (expires in 1s), refresh token rotated');
    expect(diagram).not.toContain('participant X');
  });
});
