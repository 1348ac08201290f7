/**
 * `pnpm serve --resource URL`: a journey against someone's own MCP server is graded against the
 * resource it named (one the lab's AS issues for), never against the lab's own MCP server. What
 * happens at that server (its PRM, its challenge, its 403s, its token checks) is not-seen, with
 * the reason; what the AS saw (resource, PKCE, state, redirect URI) is graded as ever.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { describe, expect, it } from 'vitest';
import type { CheckId, Verdict } from './checks.ts';
import { createGrader } from './grader.ts';

const LAB = 'http://localhost:8001/mcp';
const OWN = 'http://localhost:38101/mcp';
const CLIENT = 'http://localhost:3000/client-metadata.json';
const context = { resource: LAB, prmPath: '/.well-known/oauth-protected-resource/mcp', scopesSupported: ['mcp:connect', 'weather:read'], ownServers: [OWN] };

let clock = 0;
const ev = (party: TraceEvent['party'], kind: TraceEvent['kind'], fields: Record<string, unknown> = {}) =>
  ({ party, kind, at: (clock += 1), ...fields }) as TraceEvent;

/** What the lab's AS sees of a journey against a server it does not run: no RS event at all. */
function journeyAt(resource: string, tokenResource = resource): TraceEvent[] {
  const authorize = { response_type: 'code', client_id: CLIENT, redirect_uri: 'http://localhost:3000/callback', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', state: 's'.repeat(43), scope: 'mcp:connect', resource };
  const token = { grant_type: 'authorization_code', code: 'abc…', redirect_uri: 'http://localhost:3000/callback', client_id: CLIENT, code_verifier: 'v…', resource: tokenResource };
  return [
    ev('authorization-server', 'as_metadata.served', { path: '/.well-known/oauth-authorization-server' }),
    ev('authorization-server', 'authorization.received', { client_id: CLIENT, params: authorize }),
    ev('authorization-server', 'cimd.validated', { client_id: CLIENT, client_name: 'Demo', redirect_uris: [], cache_for_s: 300 }),
    ev('authorization-server', 'token.requested', { client_id: CLIENT, grant_type: 'authorization_code', params: token }),
    ev('authorization-server', 'token.issued', { client_id: CLIENT, claims: { client_id: CLIENT, aud: resource, scope: 'mcp:connect', sub: 'demo-user' }, expires_in: 600 }),
  ];
}

function verdicts(events: TraceEvent[], ctx = context): Record<CheckId, [Verdict, string]> {
  const grader = createGrader(ctx);
  for (const event of events) grader.observe(event);
  return Object.fromEntries(grader.cards()[0]!.checks.map((c) => [c.id, [c.verdict, c.evidence]])) as Record<CheckId, [Verdict, string]>;
}

describe('a journey against an own server (--resource) is graded against the resource it named', () => {
  it('gets no fail: resource passes against that server, and its PRM and tokens are not-seen with the reason', () => {
    const card = verdicts(journeyAt(OWN));
    expect(Object.entries(card).filter(([, [v]]) => v === 'fail')).toEqual([]);
    expect(card['resource-on-authorize']).toEqual(['pass', `resource=${OWN}`]);
    expect(card['resource-on-token']).toEqual(['pass', `resource=${OWN}`]);
    for (const id of ['prm-discovery', 'scope-from-challenge', 'bearer-header', 'token-audience', 'step-up-union'] as const) {
      expect(card[id][0], id).toBe('not-seen');
      expect(card[id][1], id).toMatch(new RegExp(`at ${OWN}, your own MCP server: the lab does not see it`));
    }
    expect(card['pkce-s256'][0]).toBe('pass');
    expect(card.state[0]).toBe('pass');
  });

  it('still fails a token request that names another resource than the authorization did', () => {
    const card = verdicts(journeyAt(OWN, LAB));
    expect(card['resource-on-token']).toEqual(['fail', `resource=${LAB}, not ${OWN}`]);
  });

  it('grades a resource the AS does not issue for against the lab\'s own server (its PRM was not read: a fail)', () => {
    const card = verdicts(journeyAt('http://localhost:9999/mcp'));
    expect(card['resource-on-authorize']).toEqual(['fail', `resource=http://localhost:9999/mcp, not ${LAB}`]);
    expect(card['prm-discovery'][0]).toBe('fail');
  });

  it('without --resource the same journey is graded against the lab\'s server (the list decides, not the client)', () => {
    const card = verdicts(journeyAt(OWN), { ...context, ownServers: [] });
    expect(card['resource-on-authorize']).toEqual(['fail', `resource=${OWN}, not ${LAB}`]);
  });
});

describe('declared probes (a contrast, a pnpm client --grade probe) are shown, never graded', () => {
  it('a declared token for another audience and a declared query token leave token-audience and bearer-header alone', () => {
    const lab = journeyAt(LAB);
    const accepted = ev('resource-server', 'token.accepted', { claims: { client_id: CLIENT, aud: LAB, scope: 'mcp:connect' } });
    const probes = [
      ev('resource-server', 'token.rejected', { reason: 'audience: the token is for another resource', client_id: CLIENT, contrast: 'grade:audience' }),
      ev('resource-server', 'token.misplaced', { via: 'query', client_id: CLIENT, contrast: 'grade:query-token' }),
    ];
    const card = verdicts([...lab, accepted, ...probes]);
    expect(card['token-audience'][0]).toBe('pass');
    expect(card['bearer-header'][0]).toBe('pass');
    // The same events undeclared are the client's own: failed (so the table above is not vacuous).
    const undeclared = verdicts([...lab, accepted, ...probes.map((p) => ({ ...p, contrast: undefined }) as TraceEvent)]);
    expect(undeclared['token-audience'][0]).toBe('fail');
    expect(undeclared['bearer-header'][0]).toBe('fail');
  });
});
