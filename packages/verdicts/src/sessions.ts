/**
 * Sessions: one client_id is many sessions (every installation of a CIMD app shares its
 * client_id; a DCR client keeps its registration across runs). Step-up is judged per session:
 * the 403 a session met, the scope that session held, and what that session did next.
 *
 * A session is a grant chain: the access token of a code flow (authorization request → code →
 * token, joined by the `code_challenge` the AS repeats on `token.issued`), the tokens its refresh
 * family issues (`family` on `token.issued` and `token.refreshed`), and, after a step-up, the
 * grant of the step-up's code flow. A 403 is the session's whose token it carried (`jti` on
 * `scope.insufficient`).
 *
 * What is approximate (the AS cannot see which session sends an authorization request):
 * - An authorization request answers the 403 of this client_id's latest session that has not
 *   authorized since its 403, UNLESS an unauthenticated 401 challenge reached the MCP server
 *   between that 403 and the request: a fresh session begins with one, a step-up does not
 *   (it holds a token). With several clients at once, another client's 401 can make a real
 *   step-up look like a fresh session: it is then not judged (not-seen), never failed.
 * - A refresh request names its family only when it succeeds; one that is refused (as with
 *   --accommodate-sdk1-step-up) is credited to the client's latest session that holds a refresh
 *   token and has met a 403 it has not authorized for since.
 * - A 403 whose token the grader never saw issued (a server without `jti` in its events) goes to
 *   the client's latest session.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import type { ClientRecord, Session } from './client-record.ts';

type Event<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

function newSession(client: ClientRecord): Session {
  const session: Session = { id: client.sessions.length, jtis: [] };
  client.sessions.push(session);
  return session;
}

const latest = (client: ClientRecord) => client.sessions.at(-1) ?? newSession(client);

/** The session whose 403 is still waiting for an authorization, newest first. */
function waiting(client: ClientRecord, which: (s: Session) => boolean = () => true) {
  return client.insufficient.findLast((i) => i.reauthorized === undefined && which(client.sessions[i.session]!));
}

/** `lastChallengeAt`: the `at` of the latest 401 without a token the MCP server sent (any client). */
export function onAuthorization(client: ClientRecord, event: Event<'authorization.received'>, lastChallengeAt: number): void {
  const index = client.authorizations.push(event.params) - 1;
  const candidate = waiting(client);
  const stepUp = candidate && !(lastChallengeAt > candidate.at) ? candidate.session : undefined;
  if (stepUp !== undefined) {
    for (const i of client.insufficient) if (i.session === stepUp && i.reauthorized === undefined) i.reauthorized = index;
  }
  const challenge = event.params.code_challenge;
  if (challenge) client.codeFlows.set(challenge, { index, ...(stepUp !== undefined && { session: stepUp }) });
}

export function onTokenIssued(client: ClientRecord, event: Event<'token.issued'>): void {
  const flow = event.code_challenge ? client.codeFlows.get(event.code_challenge) : undefined;
  if (event.code_challenge) client.codeFlows.delete(event.code_challenge);
  const session = flow?.session !== undefined ? client.sessions[flow.session]! : newSession(client);
  if (event.claims.jti) session.jtis.push(event.claims.jti);
  if (event.family) session.family = event.family;
}

export function onTokenRefreshed(client: ClientRecord, event: Event<'token.refreshed'>): void {
  const session = client.sessions.find((s) => event.family !== undefined && s.family === event.family) ?? latest(client);
  if (event.claims.jti) session.jtis.push(event.claims.jti);
}

/** A refresh_token grant, succeeded or not: if it follows a 403 of a session, it answers it. */
export function onRefreshRequested(client: ClientRecord, params: Record<string, string>): void {
  const answered = waiting(client, (s) => s.family !== undefined) ?? waiting(client);
  if (!answered) return;
  for (const i of client.insufficient) if (i.session === answered.session && i.reauthorized === undefined) i.refreshed ??= params;
}

export function onInsufficient(client: ClientRecord, event: Event<'scope.insufficient'>): void {
  const session = client.sessions.find((s) => event.jti !== undefined && s.jtis.includes(event.jti)) ?? latest(client);
  client.insufficient.push({ required: event.required, held: event.held, at: event.at, session: session.id });
}
