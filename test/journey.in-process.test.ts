/**
 * The whole journey against the real apps, wired in-process: the client's, the RS's and the
 * AS's `fetch` each deliver to the other apps' `app.request`. No port, no process; every line
 * of our code runs. (The same journey over real processes and sockets: test/e2e.)
 */
import { generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { clientUrls, startBrowserCallback, type JourneyConfig } from '@mcp-auth-demo/client';
import { SCOPES } from '@mcp-auth-demo/common';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createInProcessLab, LAB, type LabOptions } from './support/in-process-lab.ts';

const { issuer: ISSUER, resource: RESOURCE, clientBase: CLIENT_BASE } = LAB;
let signingKey: Awaited<ReturnType<typeof generateSigningKey>>;

beforeAll(async () => {
  signingKey = await generateSigningKey();
});

const world = (options: LabOptions = {}) => createInProcessLab(signingKey, options);

const WHOAMI = { name: 'whoami', arguments: {} };

/**
 * The journey with one clock for both servers, moved after every tool result: `advance` gets the
 * offset so far (ms) and returns the next.
 */
async function withMovingClock(calls: JourneyConfig['calls'], advance: (offset: number) => number, as: LabOptions['as'] = {}) {
  let offset = 0;
  const { run, events } = world({ now: () => Date.now() + offset, as });
  const result = await run({
    calls,
    onEvent: (e) => {
      events.push(e);
      if (e.kind === 'tool.result') offset = advance(offset);
    },
  });
  return { result, events };
}

describe('the journey against the real apps, in-process', () => {
  it('gets a base token, is refused get_weather, steps up to the union of scopes and succeeds', async () => {
    const { run, events } = world();
    const result = await run();
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.tokens.map((t) => t.scopes)).toEqual([[SCOPES.connect], [SCOPES.connect, SCOPES.weatherRead]]);
    expect(result.outcomes.map((o) => [o.name, o.outcome.isError])).toEqual([['whoami', false], ['get_weather', false]]);
    expect(result.outcomes[1]!.outcome.text).toContain('Lisbon');
    const kinds = events.map((e) => e.kind);
    expect(kinds).toContain('scope.insufficient');
    expect(kinds.filter((k) => k === 'token.issued')).toHaveLength(2);
    // The CIMD document was fetched once and then served from the AS's cache.
    expect(kinds.filter((k) => k === 'cimd.fetched')).toHaveLength(1);
    expect(kinds).toContain('cimd.cache_hit');
  });

  it('lists the tools and calls those that need no arguments when no call is named', async () => {
    const { run } = world();
    const result = await run({ calls: 'discover' });
    expect(result.ok).toBe(true);
    expect(result.outcomes.map((o) => o.name)).toEqual(['whoami']);
    expect(result.steps.map((s) => s.title)).toContain('List tools');
  });

  it('refreshes when the token expires mid-session (401 invalid_token), then goes on without the user', async () => {
    // One clock for both servers; it jumps past the token's lifetime (600 s) after the first call.
    const { result, events } = await withMovingClock([WHOAMI, WHOAMI], () => 700_000);
    expect(result.failure).toBeUndefined();
    expect(result.steps.map((s) => s.title)).toEqual(expect.arrayContaining(['Refresh the access token', 'Retry whoami']));
    expect(result.steps.map((s) => s.title)).not.toContain('Re-authorization');
    expect(events.filter((e) => e.kind === 'token.rejected')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'token.refreshed')).toHaveLength(1);
    expect(events.find((e) => e.kind === 'refresh.decided')).toMatchObject({ action: 'refresh', reason: expect.stringMatching(/401 invalid_token/) });
    expect(result.tokens).toHaveLength(2);
    // Rotation (OAuth 2.1 §4.3.1): the refresh answered a new refresh token.
    expect(result.tokens[1]!.refresh_token).toEqual(expect.any(String));
    expect(result.tokens[1]!.refresh_token).not.toBe(result.tokens[0]!.refresh_token);
  });

  it('authorizes again when the refresh token has expired too (the AS refuses the refresh; the trace says so)', async () => {
    // Past the family's 24 h absolute lifetime.
    const { result, events } = await withMovingClock([WHOAMI, WHOAMI], () => 3 * 86_400_000);
    expect(result.failure).toBeUndefined();
    expect(result.steps.map((s) => s.title)).toEqual(expect.arrayContaining(['Refresh the access token', 'Re-authorization', 'Retry whoami']));
    expect(events.filter((e) => e.kind === 'refresh.decided').map((e) => e.action)).toEqual(['refresh', 'reauthorize']);
    expect(result.tokens).toHaveLength(2);
  });

  it('with a short access-token lifetime, refreshes whenever the token expires, and still steps up by authorization', async () => {
    // Access tokens live 5 s; the shared clock moves 2 minutes (past the RS's clock tolerance) after every tool result.
    const calls = [WHOAMI, WHOAMI, { name: 'get_weather', arguments: { city: 'Lisbon' } }];
    const { result, events } = await withMovingClock(calls, (offset) => offset + 120_000, { accessTokenTtlSeconds: 5 });
    expect(result.failure).toBeUndefined();
    const titles = result.steps.map((s) => s.title);
    expect(titles.filter((t) => t === 'Refresh the access token')).toHaveLength(2);
    expect(titles.some((t) => t.startsWith('Step-up authorization'))).toBe(true);
    // On insufficient_scope the client authorizes again, and says why a refresh could not do.
    expect(events.filter((e) => e.kind === 'refresh.decided').at(-1)).toMatchObject({ action: 'reauthorize', reason: expect.stringMatching(/never more/) });
    expect(result.outcomes.at(-1)?.outcome).toMatchObject({ isError: false });
  });

  it.each([
    ['CIMD (the registered loopback URI differs only in port, RFC 8252 §7.3)', false],
    ['DCR (the client registers the very URI it listens on)', true],
  ])('completes with a person\'s browser and a loopback callback: %s', async (_, preferDynamicRegistration) => {
    const { run, as } = world();
    // The person: their browser loads the authorization URL and follows the AS's redirect.
    // The callback page is answered only once the client has checked the redirect and redeemed
    // the code, so the "browser" does not wait for it here; the pages are checked at the end.
    const pages: Promise<Response>[] = [];
    const browser = await startBrowserCallback({
      say: () => {},
      open: async (url) => {
        const answer = await as.request(url.href);
        pages.push(fetch(answer.headers.get('location')!));
      },
    });
    try {
      const { clientId } = clientUrls(CLIENT_BASE);
      const result = await run({
        registration: { clientMetadataUrl: clientId, redirectUri: browser.redirectUri, clientName: 'test', preferDynamicRegistration },
        userAgent: browser.userAgent,
      });
      expect(result.failure).toBeUndefined();
      expect(result.tokens).toHaveLength(2);
      const answered = await Promise.all(pages);
      expect(answered.map((page) => page.status)).toEqual([200, 200]);
      expect(await answered[1]!.text()).toContain('Signed in and approved');
    } finally {
      await browser.close();
    }
  });

  it('ends at the step-up with the AS error when the AS will not grant the scope', async () => {
    const { run } = world({ as: { scopesSupported: [SCOPES.connect] } });
    const result = await run();
    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ step: 5, expected: 'an authorization code' });
    expect(result.failure!.received).toMatch(/^invalid_scope .*: the access asked for is not available/);
  });

  it('fails at discovery, naming the step, when the MCP server is not there', async () => {
    const { run } = world();
    const result = await run({ serverUrl: 'http://localhost:8999/mcp' });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ step: 1 });
    expect(result.failure!.received).toMatch(/fetch failed/);
  });

  it('stops after 3 authorizations of one operation when the server keeps asking for more', async () => {
    // A foreign MCP server that answers every request with a new insufficient_scope challenge.
    let challenges = 0;
    const greedy = new Hono();
    greedy.get('/.well-known/oauth-protected-resource/mcp', (c) =>
      c.json({ resource: RESOURCE, authorization_servers: [ISSUER] }));
    greedy.post('/mcp', (c) => {
      if (!c.req.header('authorization')) {
        return c.body(null, 401, { 'WWW-Authenticate': 'Bearer scope="s0", resource_metadata="http://localhost:8001/.well-known/oauth-protected-resource/mcp"' });
      }
      challenges += 1;
      return c.body(null, 403, { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="s${challenges}"` });
    });
    const { run, events } = world({ as: { scopesSupported: ['mcp:connect', 's0', 's1', 's2', 's3', 's4', 's5'] }, mcpServer: greedy });
    const result = await run({ calls: [{ name: 'whoami', arguments: {} }] });
    expect(result.ok).toBe(false);
    expect(result.failure!.expected).toMatch(/within 3 authorizations/);
    // One authorization after discovery, then exactly three step-ups for the one operation.
    expect(events.filter((e) => e.kind === 'authorization.requested')).toHaveLength(4);
    expect(result.tokens.at(-1)!.scopes).toEqual(['s0', 's1', 's2', 's3']);
  });
});
