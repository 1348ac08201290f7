/**
 * `pnpm client URL --grade`: after the journey, the client tests the server's defences, one
 * family after the other (discovery-checks.ts, token-checks.ts, transport-checks.ts), and
 * returns the server card in the order of SERVER_CHECKS. Each probe is a real request through
 * the client's traced fetch; each verdict is a `server_check.graded` event as well.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { checkAsMetadata, checkChallenge401, checkPrm, type Discovered } from './discovery-checks.ts';
import { graded, type ProbeContext } from './probe.ts';
import { SERVER_CHECK_IDS, type ServerCard, type ServerCheckId, type ServerCheckResult } from './server-checks.ts';
import { checkAudience, checkExpiry, checkQueryToken, checkSignature } from './token-checks.ts';
import { checkInsufficientScope, checkOrigin } from './transport-checks.ts';

export interface GradeServerInput extends ProbeContext {
  /** The journey's last access token; undefined when it got none (the token checks are not seen). */
  token?: string;
  /** The journey's trace events (its own requests decide insufficient-scope). */
  journey: readonly TraceEvent[];
}

export async function gradeServer(input: GradeServerInput): Promise<ServerCard> {
  const ctx: ProbeContext = { serverUrl: input.serverUrl, fetch: input.fetch, emit: input.emit };
  const results: ServerCheckResult[] = [];
  const found: Discovered = {};
  results.push(await checkChallenge401(ctx, found), await checkPrm(ctx, found), await checkAsMetadata(ctx, found));
  const token = input.token;
  if (token) {
    const tokenInput = { token, ...(found.issuer && { issuer: found.issuer }) };
    results.push(await checkSignature(ctx, tokenInput), await checkAudience(ctx, tokenInput), await checkExpiry(ctx, tokenInput));
    results.push(await checkQueryToken(ctx, tokenInput));
  } else {
    for (const id of ['signature', 'audience', 'expiry', 'query-token'] as const) results.push(graded(ctx, id, 'not-seen', 'the journey obtained no access token'));
  }
  results.push(checkInsufficientScope(ctx, input.journey));
  results.push(token ? await checkOrigin(ctx, token) : graded(ctx, 'origin', 'not-seen', 'the journey obtained no access token'));
  const byId = new Map<ServerCheckId, ServerCheckResult>(results.map((r) => [r.id, r]));
  return { server: input.serverUrl, checks: SERVER_CHECK_IDS.map((id) => byId.get(id)!) };
}
