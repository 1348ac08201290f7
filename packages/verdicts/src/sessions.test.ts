/**
 * Step-up judged per session (sessions.ts, step-up-checks.ts), on events shaped as the servers
 * emit them: the token's jti on the 403, the code_challenge and refresh family on the token.
 * Every CIMD installation shares a client_id, so two sessions on one client_id is the common case.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { describe, expect, it } from 'vitest';
import type { CheckId, Verdict } from './checks.ts';
import { createGrader } from './grader.ts';
import { REAUTHORIZE_WITHIN_MS } from './step-up-checks.ts';

const RESOURCE = 'http://localhost:8001/mcp';
const CLIENT = 'http://localhost:3000/client-metadata.json';
const context = { resource: RESOURCE, prmPath: '/.well-known/oauth-protected-resource/mcp', scopesSupported: ['mcp:connect', 'weather:read'] };
const CONNECT = 'mcp:connect';
const BOTH = 'mcp:connect weather:read';

/** A lab whose clock the test moves: events are stamped with it, the grader reads it. */
function lab() {
  let now = 0;
  const grader = createGrader(context, { clock: () => now });
  const ev = (party: TraceEvent['party'], kind: TraceEvent['kind'], fields: Record<string, unknown>) => grader.observe({ party, kind, at: (now += 1000), ...fields } as TraceEvent);
  let flows = 0;
  const s = {
    grader,
    wait: (ms: number) => (now += ms * 1000),
    verdict: (id: CheckId): [Verdict, string] => {
      const check = grader.cards()[0]!.checks.find((c) => c.id === id)!;
      return [check.verdict, check.evidence];
    },
    /** A request without a token: the 401 challenge a fresh session begins with. */
    challenge: () => ev('resource-server', 'request.rejected', { method: 'POST', path: '/mcp', status: 401, error: '(no error code)', error_description: '', www_authenticate: `Bearer scope="${CONNECT}"` }),
    /** An authorization request, its code redeemed (unless `redeem: false`), its token issued with `jti`. */
    authorize: (scope: string, jti: string, o: { family?: string; redeem?: boolean; verifierOk?: boolean } = {}) => {
      const code_challenge = `challenge-${(flows += 1)}`.padEnd(43, 'x');
      ev('authorization-server', 'authorization.received', { client_id: CLIENT, params: { response_type: 'code', client_id: CLIENT, redirect_uri: 'http://localhost:3000/callback', code_challenge, code_challenge_method: 'S256', state: 's'.repeat(43), scope, resource: RESOURCE } });
      if (o.redeem === false) return;
      ev('authorization-server', 'token.requested', { client_id: CLIENT, grant_type: 'authorization_code', params: { client_id: CLIENT, redirect_uri: 'http://localhost:3000/callback', resource: RESOURCE } });
      if (o.verifierOk === false) {
        ev('authorization-server', 'request.rejected', { method: 'POST', path: '/token', status: 400, error: 'invalid_grant', error_description: 'PKCE verification failed', client_id: CLIENT });
        return;
      }
      ev('authorization-server', 'token.issued', { client_id: CLIENT, claims: { client_id: CLIENT, aud: RESOURCE, scope, jti }, expires_in: 600, code_challenge, ...(o.family && { family: o.family }) });
      ev('resource-server', 'token.accepted', { claims: { client_id: CLIENT, aud: RESOURCE, scope, jti } });
    },
    insufficient: (jti: string, held: string) => ev('resource-server', 'scope.insufficient', { tool: 'get_weather', required: BOTH.split(' '), held: held.split(' '), client_id: CLIENT, jti }),
    /** A refresh_token grant; `refused`: the AS said invalid_grant (as with --accommodate-sdk1-step-up). */
    refresh: (family: string, jti: string, o: { refused?: boolean } = {}) => {
      ev('authorization-server', 'token.requested', { client_id: CLIENT, grant_type: 'refresh_token', params: { client_id: CLIENT, resource: RESOURCE } });
      if (o.refused) return ev('authorization-server', 'request.rejected', { method: 'POST', path: '/token', status: 400, error: 'invalid_grant', error_description: 'too early', client_id: CLIENT });
      return ev('authorization-server', 'token.refreshed', { client_id: CLIENT, claims: { client_id: CLIENT, aud: RESOURCE, scope: CONNECT, jti }, expires_in: 600, narrowed: false, family });
    },
  };
  return s;
}

describe('step-up-union: the authorization that follows THAT session\'s 403, against the scope THAT session held', () => {
  it('a fresh second session on the same client_id, authorizing for exactly its 401 challenge scope, gets no step-up fail', () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1');
    l.insufficient('jti-1', CONNECT); // session 1 stops here (as @ai-sdk/mcp does)
    l.challenge(); // session 2 begins as every session does, without a token
    l.authorize(CONNECT, 'jti-2');
    expect(l.verdict('step-up-union')).toEqual(['not-seen', 'got 403 insufficient_scope, has not re-authorized yet']);
    l.insufficient('jti-2', CONNECT);
    l.authorize(BOTH, 'jti-3');
    expect(l.verdict('step-up-union')).toEqual(['pass', `session 2: after 403, asked for "${BOTH}": held ∪ challenged`]);
    expect(l.verdict('scope-from-challenge')[0]).toBe('pass');
  });

  it('a real step-up that drops a scope is still failed, and the evidence names its session', () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1');
    l.insufficient('jti-1', CONNECT);
    l.challenge();
    l.authorize(CONNECT, 'jti-2');
    l.insufficient('jti-2', CONNECT);
    l.authorize('weather:read', 'jti-3');
    expect(l.verdict('step-up-union')).toEqual(['fail', `session 2: after 403 for "${BOTH}" while holding "${CONNECT}", asked for "weather:read": drops mcp:connect`]);
  });

  it('the 403 is the session\'s whose token it carried: a later 403 of session 1 is judged by session 1\'s next authorization', () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1');
    l.challenge();
    l.authorize(CONNECT, 'jti-2');
    l.insufficient('jti-1', CONNECT); // session 1's token, after session 2 began
    l.authorize(BOTH, 'jti-3');
    expect(l.verdict('step-up-union')).toEqual(['pass', `session 1: after 403, asked for "${BOTH}": held ∪ challenged`]);
  });

  it("a decoy authorization after the first token (the demo's PKCE contrast: its code refused) is no step-up and changes no verdict", () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1');
    l.authorize(CONNECT, 'decoy', { verifierOk: false });
    l.insufficient('jti-1', CONNECT);
    l.authorize(BOTH, 'jti-2');
    const notPassed = l.grader.cards()[0]!.checks.filter((c) => c.verdict !== 'pass').map((c) => c.id);
    expect(notPassed).toEqual(['prm-discovery', 'as-discovery']); // this lab sends no discovery requests
  });
});

describe('step-up-no-refresh: a refresh cannot widen scope (RFC 6749 §6)', () => {
  it('a session that answers its 403 with a refresh fails, naming typescript-sdk #2255, and is not also warned for not authorizing', () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1', { family: 'f1' });
    l.insufficient('jti-1', CONNECT);
    l.refresh('f1', 'jti-2');
    l.insufficient('jti-2', CONNECT); // the same 403 again: the SDK 1.x dead end
    const [verdict, evidence] = l.verdict('step-up-no-refresh');
    expect(verdict).toBe('fail');
    expect(evidence).toMatch(/sent grant_type=refresh_token \(no scope\) expecting more scope/);
    expect(evidence).toContain('modelcontextprotocol/typescript-sdk #2255');
    l.wait(REAUTHORIZE_WITHIN_MS * 2);
    expect(l.verdict('step-up-reauthorizes')[0]).toBe('not-seen');
  });

  it('a refused refresh and then a new authorization: the refresh still fails, the step-up itself passes', () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1', { family: 'f1' });
    l.insufficient('jti-1', CONNECT);
    l.refresh('f1', '', { refused: true });
    l.authorize(BOTH, 'jti-2');
    expect(l.verdict('step-up-no-refresh')[0]).toBe('fail');
    expect(l.verdict('step-up-no-refresh')[1]).toMatch(/it authorized again after that/);
    expect(l.verdict('step-up-union')[0]).toBe('pass');
    expect(l.verdict('step-up-reauthorizes')[0]).toBe('pass');
  });

  it('a refresh with no 403 before it (a proactive one) is no step-up at all', () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1', { family: 'f1' });
    l.refresh('f1', 'jti-2');
    expect(l.verdict('step-up-no-refresh')).toEqual(['not-seen', 'never got 403 insufficient_scope']);
  });

  it('a step-up without a refresh passes', () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1', { family: 'f1' });
    l.insufficient('jti-1', CONNECT);
    l.authorize(BOTH, 'jti-2');
    expect(l.verdict('step-up-no-refresh')).toEqual(['pass', 'after 403, authorized again without a refresh first']);
  });
});

describe(`step-up-reauthorizes: a 403 left without an authorization request for ${REAUTHORIZE_WITHIN_MS / 1000} s is a warn`, () => {
  it('is not-seen while the session may still answer, a warn once the clock passes the limit (one card from tick), pass if it answers later', () => {
    const l = lab();
    l.challenge();
    l.authorize(CONNECT, 'jti-1');
    l.insufficient('jti-1', CONNECT);
    l.wait(REAUTHORIZE_WITHIN_MS - 100);
    expect(l.grader.tick()).toEqual([]);
    expect(l.verdict('step-up-reauthorizes')[0]).toBe('not-seen');
    l.wait(200);
    const [update, ...more] = l.grader.tick();
    expect(more).toEqual([]);
    expect(update!.changes).toContainEqual({ id: 'step-up-reauthorizes', from: 'not-seen', to: 'warn' });
    expect(l.verdict('step-up-reauthorizes')[1]).toMatch(/no authorization request in the 30 s after it .*@ai-sdk\/mcp 2\.0\.99/);
    expect(l.grader.tick()).toEqual([]);
    l.authorize(BOTH, 'jti-2');
    expect(l.verdict('step-up-reauthorizes')).toEqual(['pass', 'after 403, sent a new authorization request']);
  });
});
