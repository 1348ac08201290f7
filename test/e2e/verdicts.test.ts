/**
 * `pnpm serve` grades the clients that use it (packages/verdicts), end to end: the real
 * servers, `--report FILE`, and three kinds of client: the project's own, the official SDK's
 * `auth()`, and a hand-rolled client that breaks one rule at a time.
 */
import type { Card, CheckId } from '@mcp-auth-demo/verdicts';
import { clientUrls, runJourney } from '@mcp-auth-demo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrace, runCommand } from './processes.ts';
import { complete, settled, startServe, stop, verdicts } from './serve-harness.ts';
import { runRawClient, type RawClientOptions } from './raw-client.ts';
import { runSdkClient } from './sdk-auth-client.ts';

describe('pnpm serve --report grades every client that authorizes', () => {
  let s: Awaited<ReturnType<typeof startServe>>;
  beforeAll(async () => {
    s = await startServe([]);
  });
  afterAll(() => stop(s.serve));

  const notPassed = (card: Card) => card.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.verdict} (${c.evidence})`);

  it("the project's own client passes every check, step-up included", async () => {
    const client = clientUrls(s.urls.clientBase);
    const result = await runJourney({
      serverUrl: s.urls.resource,
      registration: { clientMetadataUrl: client.clientId, redirectUri: client.redirectUri, clientName: 'MCP Auth Demo Client' },
      calls: [{ name: 'whoami', arguments: {} }, { name: 'get_weather', arguments: { city: 'Paris' } }],
    });
    expect(result.ok).toBe(true);
    const card = await s.card(client.clientId, complete);
    expect(card.checks).toHaveLength(14);
    expect(notPassed(card)).toEqual([]);
    // The report file can be written before the same card reaches this test through the stdout
    // pipe: wait for the printed card too (bounded by the test's timeout).
    const printed = 'changed since its last authorization: step-up-union: not-seen → pass';
    while (!s.output().includes(printed)) await new Promise((r) => setTimeout(r, 25));
    expect(s.output()).toContain(`client verdicts: MCP Auth Demo Client (${client.clientId})`);
  });

  it('`pnpm client`, its contrasts included (an attack in its own name, refused), passes every check', async () => {
    const client = clientUrls(s.urls.clientBase);
    const run = await runCommand('client', [
      '--client-metadata-url', client.clientId, '--redirect-uri', client.redirectUri,
      '--call', 'get_weather', '--args', '{"city":"Paris"}', '--json', s.urls.resource,
    ]);
    expect(run.exitCode).toBe(0);
    const events = parseTrace(String(run.stdout));
    // The contrasts the client can make against any server: both refused, for real.
    expect(events.filter((e) => e.kind === 'contrast.refused').map((e) => e.kind === 'contrast.refused' && [e.contrast, e.status])).toEqual([
      ['redirect_uri', 400],
      ['pkce', 400],
    ]);
    const card = await s.card(client.clientId, (c) => complete(c) && c.checks.some((k) => k.evidence.includes('declared redirect_uri contrast')));
    expect(notPassed(card)).toEqual([]);
  });

  it("the official SDK client's own auth() passes every check, step-up included", async () => {
    const { client_id, weather } = await runSdkClient(s.urls.resource);
    expect(JSON.stringify(weather)).toContain('Oslo');
    expect(notPassed(await s.card(client_id, complete))).toEqual([]);
  });

  it.each<[string, Omit<RawClientOptions, 'resource' | 'issuer' | 'name'>, CheckId, RegExp]>([
    ['omits resource', { authorize: { resource: undefined } }, 'resource-on-authorize', /no resource parameter/],
    ['uses PKCE plain', { authorize: { code_challenge_method: 'plain' } }, 'pkce-s256', /code_challenge_method=plain/],
    ['sends no state', { authorize: { state: undefined } }, 'state', /without state/],
    ['puts its token in the query string', { tokenInQuery: true }, 'bearer-header', /query string/],
    ['overwrites its scope on step-up', { stepUpScope: 'weather:read' }, 'step-up-union', /drops mcp:connect/],
  ])('a client that %s fails exactly that check, with the evidence', async (name, variant, id, evidence) => {
    const { client_id } = await runRawClient({ resource: s.urls.resource, issuer: s.urls.issuer, name, ...variant });
    const card = await s.card(client_id, settled(id));
    const check = card.checks.find((c) => c.id === id)!;
    expect(check.verdict).toBe('fail');
    expect(check.evidence).toMatch(evidence);
    expect(card.checks.filter((c) => c.verdict === 'fail').map((c) => c.id)).toEqual([id]);
  });
});

describe('two sessions on one client_id (every CIMD installation, a DCR client that keeps its registration)', () => {
  it('a fresh second session, authorizing for exactly its 401 challenge scope, gets no step-up fail; its own step-up is judged', async () => {
    const s = await startServe([]);
    try {
      const first = await runRawClient({ resource: s.urls.resource, issuer: s.urls.issuer, name: 'two sessions', noStepUp: true });
      expect(first.outcome).toBe('stopped at the 403');
      await s.card(first.client_id, (card) => card.checks.some((c) => c.id === 'bearer-header' && c.verdict === 'pass'));
      const second = await runRawClient({ resource: s.urls.resource, issuer: s.urls.issuer, name: 'two sessions', clientId: first.client_id });
      expect(second.outcome).toBe('step-up retry answered 200');
      const card = await s.card(first.client_id, settled('step-up-union'));
      expect(card.checks.filter((c) => c.verdict === 'fail')).toEqual([]);
      expect(card.checks.find((c) => c.id === 'step-up-union')!.evidence).toBe('session 2: after 403, asked for "mcp:connect weather:read": held ∪ challenged');
      // Session 1's 403 is still unanswered: a warn only after 30 s (the grader's unit tests move its clock).
      expect(verdicts(card)['step-up-reauthorizes']).toBe('not-seen');
    } finally {
      await stop(s.serve);
    }
  });
});

describe('pnpm serve --lenient', () => {
  it('lets a client without resource get a token, and shows the MCP server refusing it', async () => {
    const s = await startServe(['--lenient']);
    try {
      const { client_id, outcome } = await runRawClient({ resource: s.urls.resource, issuer: s.urls.issuer, name: 'no resource', authorize: { resource: undefined }, token: { resource: undefined } });
      expect(outcome).toBe('whoami answered 401');
      const card = await s.card(client_id, settled('token-audience'));
      expect(verdicts(card)).toMatchObject({ 'resource-on-authorize': 'fail', 'resource-on-token': 'fail', 'token-audience': 'fail' });
      expect(card.checks.find((c) => c.id === 'token-audience')!.evidence).toMatch(/aud is urn:mcp-auth-demo:no-resource-named, not http/);
    } finally {
      await stop(s.serve);
    }
  });
});
