/**
 * The grader on event sequences shaped exactly as the servers emit them: a compliant client
 * gets every check passed; each broken rule gets its check failed, with the evidence that
 * decided it. (The real servers feeding it are exercised in test/e2e/verdicts.test.ts.)
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS, type CheckId, type Verdict } from './checks.ts';
import { createGrader, type CardUpdate } from './grader.ts';

const RESOURCE = 'http://localhost:8001/mcp';
const PRM_PATH = '/.well-known/oauth-protected-resource/mcp';
const CLIENT = 'http://localhost:3000/client-metadata.json';
const context = { resource: RESOURCE, prmPath: PRM_PATH, scopesSupported: ['mcp:connect', 'weather:read'] };

let clock = 0;
const ev = (party: TraceEvent['party'], kind: TraceEvent['kind'], fields: Record<string, unknown> = {}) =>
  ({ party, kind, at: (clock += 1), ...fields }) as TraceEvent;

const goodAuthorize = { response_type: 'code', client_id: CLIENT, redirect_uri: 'http://localhost:3000/callback', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', state: 's'.repeat(43), scope: 'mcp:connect', resource: RESOURCE };
const goodToken = { grant_type: 'authorization_code', code: 'abc…', redirect_uri: 'http://localhost:3000/callback', client_id: CLIENT, code_verifier: 'v…', resource: RESOURCE };

type Journey = { authorize?: Record<string, string | undefined>; token?: Record<string, string | undefined>; stepUpScope?: string; misplaced?: 'query'; audience?: string };

/** The events of a whole journey: discovery, authorization, a call, a 403, step-up, a call. */
function journey(j: Journey = {}): TraceEvent[] {
  const clean = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const auth = clean({ ...goodAuthorize, ...j.authorize });
  const token = clean({ ...goodToken, ...j.token });
  const claims = (scope: string) => ({ client_id: CLIENT, aud: RESOURCE, scope, sub: 'demo-user' });
  return [
    ev('resource-server', 'request.rejected', { method: 'POST', path: '/mcp', status: 401, error: '(no error code)', error_description: '', www_authenticate: `Bearer scope="mcp:connect", resource_metadata="http://localhost:8001${PRM_PATH}"` }),
    ev('resource-server', 'prm.served', { path: PRM_PATH }),
    ev('authorization-server', 'as_metadata.served', { path: '/.well-known/oauth-authorization-server' }),
    ev('authorization-server', 'authorization.received', { client_id: CLIENT, params: auth }),
    ev('authorization-server', 'cimd.validated', { client_id: CLIENT, client_name: 'Demo', redirect_uris: [], cache_for_s: 300 }),
    ev('authorization-server', 'token.requested', { client_id: CLIENT, grant_type: 'authorization_code', params: token }),
    ev('authorization-server', 'token.issued', { client_id: CLIENT, claims: claims('mcp:connect'), expires_in: 600 }),
    j.misplaced ? ev('resource-server', 'token.misplaced', { via: 'query', client_id: CLIENT }) : ev('resource-server', 'token.accepted', { claims: claims('mcp:connect') }),
    ...(j.audience ? [ev('resource-server', 'token.rejected', { reason: j.audience, client_id: CLIENT })] : []),
    ev('resource-server', 'scope.insufficient', { tool: 'get_weather', required: ['mcp:connect', 'weather:read'], held: ['mcp:connect'], client_id: CLIENT }),
    ev('authorization-server', 'authorization.received', { client_id: CLIENT, params: { ...auth, scope: j.stepUpScope ?? 'mcp:connect weather:read' } }),
    ev('authorization-server', 'token.requested', { client_id: CLIENT, grant_type: 'authorization_code', params: token }),
    ev('authorization-server', 'token.issued', { client_id: CLIENT, claims: claims(j.stepUpScope ?? 'mcp:connect weather:read'), expires_in: 600 }),
  ];
}

function grade(events: TraceEvent[]): { updates: CardUpdate[]; verdicts: Record<CheckId, [Verdict, string]> } {
  const grader = createGrader(context);
  const updates = events.flatMap((e) => grader.observe(e));
  const card = grader.cards()[0]!;
  return { updates, verdicts: Object.fromEntries(card.checks.map((c) => [c.id, [c.verdict, c.evidence]])) as Record<CheckId, [Verdict, string]> };
}

describe('a compliant client', () => {
  it('passes every check, and its second card says what step-up changed', () => {
    const { updates, verdicts } = grade(journey());
    expect(Object.entries(verdicts).filter(([, [v]]) => v !== 'pass')).toEqual([]);
    expect(updates.map((u) => u.first)).toEqual([true, false]);
    expect(updates[1]!.changes).toContainEqual({ id: 'step-up-union', from: 'not-seen', to: 'pass' });
    expect(updates[0]!.card.client_name).toBe('Demo');
  });
});

describe('a client that breaks a rule gets that check failed, with the evidence', () => {
  it.each<[string, Journey, CheckId, Verdict, RegExp]>([
    ['no resource on /authorize', { authorize: { resource: undefined } }, 'resource-on-authorize', 'fail', /no resource parameter/],
    ['another resource on /authorize', { authorize: { resource: 'http://localhost:9999/mcp' } }, 'resource-on-authorize', 'fail', /resource=http:\/\/localhost:9999\/mcp, not/],
    ['no resource on /token', { token: { resource: undefined } }, 'resource-on-token', 'fail', /no resource parameter on the token request/],
    ['PKCE plain', { authorize: { code_challenge_method: 'plain' } }, 'pkce-s256', 'fail', /code_challenge_method=plain/],
    ['no PKCE at all', { authorize: { code_challenge: undefined, code_challenge_method: undefined } }, 'pkce-s256', 'fail', /no code_challenge/],
    ['no state', { authorize: { state: undefined } }, 'state', 'fail', /without state/],
    ['a short state', { authorize: { state: 'abc' } }, 'state', 'warn', /3 characters/],
    ['token in the query string', { misplaced: 'query' }, 'bearer-header', 'fail', /query string/],
    ['scope overwrite on step-up', { stepUpScope: 'weather:read' }, 'step-up-union', 'fail', /drops mcp:connect/],
    ['a scope other than the challenge', { authorize: { scope: 'weather:read' } }, 'scope-from-challenge', 'fail', /the 401 challenge said scope="mcp:connect"/],
    ['a token for another audience', { audience: 'audience: the token is for urn:other, not this server' }, 'token-audience', 'fail', /urn:other/],
    ['another redirect_uri at /token', { token: { redirect_uri: 'http://localhost:3000/other' } }, 'redirect-uri', 'fail', /token request redirect_uri=http:\/\/localhost:3000\/other/],
  ])('%s', (_name, variant, id, verdict, evidence) => {
    const { verdicts } = grade(journey(variant));
    expect(verdicts[id][0]).toBe(verdict);
    expect(verdicts[id][1]).toMatch(evidence);
  });

  it('a client that authorizes without discovery fails both discovery checks', () => {
    const events = journey().filter((e) => e.kind !== 'prm.served' && e.kind !== 'as_metadata.served');
    const { verdicts } = grade(events);
    expect(verdicts['prm-discovery'][0]).toBe('fail');
    expect(verdicts['as-discovery'][0]).toBe('fail');
  });

  it('a refused authorization request is a card moment, charged to the client it named', () => {
    const grader = createGrader(context);
    grader.observe(ev('authorization-server', 'authorization.received', { client_id: CLIENT, params: { ...goodAuthorize, code_challenge_method: 'plain' } }));
    const [update] = grader.observe(ev('authorization-server', 'request.rejected', { method: 'GET', path: '/authorize', status: 302, error: 'invalid_request', error_description: 'S256 only', client_id: CLIENT }));
    expect(update?.card.checks.find((c) => c.id === 'pkce-s256')?.verdict).toBe('fail');
  });
});

describe("the lab client's own contrasts (declared by CONTRAST_HEADER) are shown, never graded", () => {
  const attack = (contrast?: string) => {
    const params = { ...goodAuthorize, redirect_uri: 'https://attacker.example/callback' };
    return [
      ev('authorization-server', 'authorization.received', { client_id: CLIENT, params, ...(contrast && { contrast }) }),
      ev('authorization-server', 'request.rejected', { method: 'GET', path: '/authorize', status: 400, error: 'invalid_request', error_description: 'redirect_uri https://attacker.example/callback is not registered for this client', client_id: CLIENT, ...(contrast && { contrast }) }),
    ];
  };

  it('a declared redirect_uri contrast after the journey leaves redirect-uri passing, and says it was refused', () => {
    const { verdicts } = grade([...journey(), ...attack('redirect_uri')]);
    expect(verdicts['redirect-uri']).toEqual(['pass', expect.stringContaining('its declared redirect_uri contrast was refused')]);
  });

  it('the same request undeclared is the client\'s own: redirect-uri fails with the AS\'s words', () => {
    const { verdicts } = grade([...journey(), ...attack()]);
    expect(verdicts['redirect-uri']).toEqual(['fail', expect.stringMatching(/attacker\.example\/callback is not registered/)]);
  });
});

describe('checks a client has not reached yet', () => {
  it('are not-seen, never pass', () => {
    const grader = createGrader(context);
    grader.observe(ev('authorization-server', 'client.registered', { client_id: 'dcr-123', redirect_uris: [] }));
    const verdicts = grader.cards()[0]!.checks.map((c) => c.verdict);
    expect(verdicts.filter((v) => v === 'pass')).toEqual(['pass']); // registration only
    expect(verdicts.filter((v) => v === 'not-seen')).toHaveLength(CHECK_IDS.length - 1);
    expect(CHECK_IDS).toHaveLength(14);
  });
});
