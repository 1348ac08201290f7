/**
 * The step-up rules, judged per session (sessions.ts says how a 403 and what answered it are
 * tied to one session). A session that meets 403 `insufficient_scope` (RFC 6750 §3.1) should
 * authorize again for the scopes it held plus the challenged ones (MCP 2025-11-25 "Step-Up
 * Authorization Flow"), not refresh (RFC 6749 §6), and should do it at all:
 *
 *   step-up-union         the session's next authorization asks for held ∪ challenged
 *   step-up-no-refresh    it does not answer the 403 with a refresh (typescript-sdk #2255)
 *   step-up-reauthorizes  it authorizes again within REAUTHORIZE_WITHIN_MS (else warn)
 */
import type { ClientRecord, Insufficient } from './client-record.ts';

type Outcome = ['pass' | 'fail' | 'warn' | 'not-seen', string];

/** How long a session may take to answer its 403 with an authorization request before it is warned. */
export const REAUTHORIZE_WITHIN_MS = 30_000;

const words = (scope: string | undefined) => (scope ?? '').split(' ').filter(Boolean);
const label = (c: ClientRecord, i: Insufficient) => (c.sessions.length > 1 ? `session ${i.session + 1}: ` : '');
const what = (i: Insufficient) => `403 for "${i.required.join(' ')}" while holding "${i.held.join(' ')}"`;

export function stepUpUnion(c: ClientRecord): Outcome {
  const answered = c.insufficient.filter((i) => i.reauthorized !== undefined);
  if (answered.length === 0) return ['not-seen', c.insufficient.length > 0 ? 'got 403 insufficient_scope, has not re-authorized yet' : 'never got 403 insufficient_scope'];
  for (const i of answered) {
    const asked = words(c.authorizations[i.reauthorized!]!.scope);
    // MCP 2025-11-25 "Step-Up Authorization Flow": the new request keeps what the session held.
    const lost = [...new Set([...i.held, ...i.required])].filter((s) => !asked.includes(s));
    if (lost.length > 0) return ['fail', `${label(c, i)}after ${what(i)}, asked for "${asked.join(' ')}": drops ${lost.join(' ')}`];
  }
  const last = answered.at(-1)!;
  return ['pass', `${label(c, last)}after 403, asked for "${c.authorizations[last.reauthorized!]!.scope}": held ∪ challenged`];
}

export function stepUpNoRefresh(c: ClientRecord): Outcome {
  const refreshed = c.insufficient.find((i) => i.refreshed);
  if (refreshed) {
    const scope = refreshed.refreshed!.scope;
    const then = refreshed.reauthorized !== undefined ? '; it authorized again after that' : '';
    // RFC 6749 §6: the refreshed scope "MUST NOT include any scope not originally granted".
    return ['fail', `${label(c, refreshed)}after ${what(refreshed)}, sent grant_type=refresh_token (${scope ? `scope="${scope}"` : 'no scope'}) expecting more scope, which a refresh cannot give${then}. The known bug: SDK 1.x auth() refreshes first on insufficient_scope (modelcontextprotocol/typescript-sdk #2255)`];
  }
  const answered = c.insufficient.filter((i) => i.reauthorized !== undefined);
  if (answered.length > 0) return ['pass', `${label(c, answered.at(-1)!)}after 403, authorized again without a refresh first`];
  return ['not-seen', c.insufficient.length > 0 ? 'got 403 insufficient_scope, has not answered it yet' : 'never got 403 insufficient_scope'];
}

/** `now`: the grader's clock, in the trace's microseconds (events' `at`). */
export function stepUpReauthorizes(c: ClientRecord, now: number): Outcome {
  // A session's unanswered 403s are one episode; one that refreshed is step-up-no-refresh's fail already.
  const refreshedSessions = new Set(c.insufficient.filter((i) => i.refreshed).map((i) => i.session));
  const unanswered = c.insufficient.filter((i) => i.reauthorized === undefined && !refreshedSessions.has(i.session));
  const overdue = unanswered.find((i) => now - i.at >= REAUTHORIZE_WITHIN_MS * 1000);
  if (overdue) {
    return ['warn', `${label(c, overdue)}${what(overdue)}, and no authorization request in the ${REAUTHORIZE_WITHIN_MS / 1000} s after it (a transport that handles only 401, as @ai-sdk/mcp 2.0.99's, stops here)`];
  }
  if (unanswered.length > 0) return ['not-seen', `got 403 insufficient_scope; waiting up to ${REAUTHORIZE_WITHIN_MS / 1000} s for an authorization request`];
  const answered = c.insufficient.filter((i) => i.reauthorized !== undefined);
  if (answered.length > 0) return ['pass', `${label(c, answered.at(-1)!)}after 403, sent a new authorization request`];
  return ['not-seen', c.insufficient.length > 0 ? 'answered its 403 with a refresh only (step-up-no-refresh)' : 'never got 403 insufficient_scope'];
}
