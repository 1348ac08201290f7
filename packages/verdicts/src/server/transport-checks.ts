/**
 * The transport and scope family of `pnpm client URL --grade`.
 *
 * - origin: the journey's valid token, with `Origin: http://evil.example` (a header only: nothing
 *   is sent to that host). MCP 2025-11-25 transports, Streamable HTTP "Security Warning":
 *   servers "MUST validate the Origin header" and, when it is invalid, "MUST respond with HTTP
 *   403 Forbidden".
 * - insufficient-scope: read off the journey's own requests (the trace shows them): a call that
 *   needed more than the token held must get 403 `error="insufficient_scope"` with the `scope`
 *   needed (MCP 2025-11-25 "Runtime Insufficient Scope Errors": SHOULD; RFC 6750 §3.1). When no
 *   call needed more, it is `not-seen`: the client cannot make a tool need a scope.
 */
import { bearerChallenge } from '@mcp-auth-demo/common';
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { answerLine, graded, probeMcp, probing, unreachable, type ProbeContext } from './probe.ts';
import type { ServerCheckResult } from './server-checks.ts';

/** A foreign origin: a web page's, as a DNS-rebinding attack sends it. */
export const FOREIGN_ORIGIN = 'http://evil.example';

export async function checkOrigin(ctx: ProbeContext, token: string): Promise<ServerCheckResult> {
  probing(ctx, 'origin', `the journey's valid token with Origin: ${FOREIGN_ORIGIN}`);
  let answer;
  try {
    answer = await probeMcp(ctx, { check: 'origin', token, origin: FOREIGN_ORIGIN });
  } catch (error) {
    return unreachable(ctx, 'origin', 'POST with a foreign Origin', error);
  }
  const evidence = `POST with Origin: ${FOREIGN_ORIGIN} → ${answerLine(answer)}`;
  if (answer.status === 403) return graded(ctx, 'origin', 'pass', evidence);
  return graded(ctx, 'origin', 'fail', `${evidence} (${answer.status < 300 ? 'accepted' : 'not 403'})`);
}

/** The journey's 403 answers from the MCP server, with their challenge. */
export function checkInsufficientScope(ctx: ProbeContext, journey: readonly TraceEvent[]): ServerCheckResult {
  const requests = new Map<number, string>();
  for (const e of journey) if (e.kind === 'http.request') requests.set(e.id, e.url);
  const serverPath = new URL(ctx.serverUrl).pathname;
  const forbidden = journey.filter((e): e is Extract<TraceEvent, { kind: 'http.response' }> => {
    if (e.kind !== 'http.response' || e.status !== 403) return false;
    const url = requests.get(e.id);
    return url !== undefined && URL.canParse(url) && new URL(url).pathname === serverPath;
  });
  if (forbidden.length === 0) return graded(ctx, 'insufficient-scope', 'not-seen', 'no call of the journey needed more scope than its token held');
  const answer = forbidden[0]!;
  const header = answer.headers['WWW-Authenticate'];
  const bearer = bearerChallenge(header ?? null);
  const evidence = `a tool call of the journey → ${answerLine({ status: answer.status, ...(header && { header }) })}`;
  // MCP 2025-11-25 "Runtime Insufficient Scope Errors": error="insufficient_scope" and the scope needed (SHOULD).
  if (bearer?.error !== 'insufficient_scope') return graded(ctx, 'insufficient-scope', 'warn', `${evidence} (no error="insufficient_scope")`);
  if (!bearer.scope) return graded(ctx, 'insufficient-scope', 'warn', `${evidence} (no scope)`);
  return graded(ctx, 'insufficient-scope', 'pass', evidence);
}
