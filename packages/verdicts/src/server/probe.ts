/**
 * One probe of `pnpm client URL --grade`: a real request, made through the client's traced fetch
 * (so the trace shows it), announced by `server_check.probed` and closed by
 * `server_check.graded`. Probes go to the MCP server's URL and to the documents it names only;
 * the client's endpoint policy (loopback or https, no private-range address) applies to each.
 */
import { bearerChallenge, CONTRAST_HEADER } from '@mcp-auth-demo/common';
import type { Emit } from '@mcp-auth-demo/trace';
import type { Verdict } from '../checks.ts';
import { SERVER_CHECKS, type ServerCheckId, type ServerCheckResult } from './server-checks.ts';

export type Fetch = typeof fetch;

/** What every check family is given. */
export interface ProbeContext {
  /** The MCP server's URL, as the client used it. */
  serverUrl: string;
  /** The client's fetch: traced, bounded, under its endpoint policy. */
  fetch: Fetch;
  emit: Emit;
}

/** An MCP endpoint's answer, as much as a check needs. */
export interface Answer {
  status: number;
  /** The raw WWW-Authenticate header, and its Bearer parameters. */
  header?: string;
  bearer?: Record<string, string>;
}

/** The first request of any MCP session: what a probe sends to see whether the server lets it in. */
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcp-auth-demo-grader', version: '1.0.0' } },
});

export interface McpProbe {
  /** The check the probe belongs to, declared in CONTRAST_HEADER (`grade:<check>`), so a lab server's verdicts do not grade the client for it. */
  check: ServerCheckId;
  /** `Authorization: Bearer <token>`. */
  token?: string;
  /** The token in the query string instead (`?access_token=`, RFC 6750 §2.3's name). */
  queryToken?: string;
  origin?: string;
}

/** POSTs an `initialize` to the MCP server, as a probe asks; the body is left unread. */
export async function probeMcp(ctx: ProbeContext, probe: McpProbe): Promise<Answer> {
  const url = new URL(ctx.serverUrl);
  if (probe.queryToken) url.searchParams.set('access_token', probe.queryToken);
  const response = await ctx.fetch(url.href, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      [CONTRAST_HEADER]: `grade:${probe.check}`,
      ...(probe.token && { authorization: `Bearer ${probe.token}` }),
      ...(probe.origin && { origin: probe.origin }),
    },
    body: INITIALIZE,
  });
  await response.body?.cancel().catch(() => {});
  const header = response.headers.get('www-authenticate') ?? undefined;
  return { status: response.status, ...(header && { header, bearer: bearerChallenge(header) }) };
}

/** One line about an answer, for the evidence. */
export function answerLine(answer: Answer): string {
  return `${answer.status}${answer.header ? `, WWW-Authenticate: ${answer.header}` : ''}`;
}

/** Announces a check's probe in the trace. */
export function probing(ctx: ProbeContext, check: ServerCheckId, probe: string): void {
  ctx.emit('server_check.probed', { check, probe });
}

/** A check's result, told in the trace as it is decided. */
export function graded(ctx: ProbeContext, id: ServerCheckId, verdict: Verdict, evidence: string): ServerCheckResult {
  const rule = SERVER_CHECKS[id];
  ctx.emit('server_check.graded', { check: id, verdict, evidence, rule });
  return { id, verdict, evidence, rule };
}

/** A request that could not be made or answered (refused by the client's policy, a timeout): the check is not seen. */
export function unreachable(ctx: ProbeContext, id: ServerCheckId, what: string, error: unknown): ServerCheckResult {
  return graded(ctx, id, 'not-seen', `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
}
