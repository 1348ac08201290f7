/**
 * The token family of `pnpm client URL --grade`: tokens the server must refuse, presented the
 * way a client presents a good one (`Authorization: Bearer`), except `query-token`.
 *
 *   signature -> audience -> expiry -> query-token
 *
 * - signature: the journey's own token with one claim changed after signing (RFC 9068 §4: the
 *   RS "MUST validate the signature"). Any client can do this: nothing is forged.
 * - audience, expiry: tokens only the authorization server can sign. The lab's AS, run by
 *   `pnpm serve`, gives the holder of a valid token its twin (grading-tokens.ts, a named
 *   deviation): one for another resource, one expired. Against any other AS these checks are
 *   `not-seen`, and the card says why: the client sends its token to no AS but the one that
 *   issued it, and to a loopback one only.
 * - query-token: the journey's token as `?access_token=` with no header (MCP 2025-11-25 "Token
 *   Requirements": access tokens MUST NOT be in the query string).
 * Every refusal must be 401 (MCP 2025-11-25 "Token Handling": invalid or expired tokens MUST
 * receive 401); `error="invalid_token"` is the code RFC 6750 §3.1 gives them (SHOULD).
 */
import { gradingTokensUrl, isJsonObject, isLoopbackHost } from '@mcp-auth-demo/common';
import { decodeJwt, type JWTPayload } from 'jose';
import type { Verdict } from '../checks.ts';
import { answerLine, graded, probeMcp, probing, unreachable, type Answer, type ProbeContext } from './probe.ts';
import type { ServerCheckId, ServerCheckResult } from './server-checks.ts';

export interface TokenCheckInput {
  /** The journey's access token, good at this server. */
  token: string;
  /** The authorization server the PRM named (undefined: none was found). */
  issuer?: string;
}

/** The payload of a JWT, or undefined for an opaque token (read, not verified: the server verifies). */
function jwtPayload(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

/** A token the server must refuse: 401 passes (warn without invalid_token), anything else fails. */
function refusal(ctx: ProbeContext, id: ServerCheckId, what: string, answer: Answer): ServerCheckResult {
  const evidence = `${what} → ${answerLine(answer)}`;
  const verdict: Verdict = answer.status !== 401 ? 'fail' : answer.bearer?.error !== 'invalid_token' ? 'warn' : 'pass';
  const note = verdict === 'fail' ? (answer.status < 300 ? ' (accepted)' : ' (not 401)') : verdict === 'warn' ? ' (no error="invalid_token")' : '';
  return graded(ctx, id, verdict, `${evidence}${note}`);
}

export async function checkSignature(ctx: ProbeContext, input: TokenCheckInput): Promise<ServerCheckResult> {
  const payload = jwtPayload(input.token);
  if (!payload) return graded(ctx, 'signature', 'not-seen', 'the token is not a JWT: there is no claim to change');
  probing(ctx, 'signature', 'the journey\'s token with its sub changed after signing');
  const [header, , signature] = input.token.split('.');
  const altered = Buffer.from(JSON.stringify({ ...payload, sub: `${String(payload.sub ?? '')}-altered` })).toString('base64url');
  try {
    return refusal(ctx, 'signature', 'POST with a token whose sub was changed after signing', await probeMcp(ctx, { check: 'signature', token: `${header}.${altered}.${signature}` }));
  } catch (error) {
    return unreachable(ctx, 'signature', 'POST with an altered token', error);
  }
}

/** Why the lab's AS cannot be asked for a twin, or undefined when it can. */
function notTheLab(input: TokenCheckInput): string | undefined {
  if (!input.issuer) return 'no authorization server was named';
  if (!URL.canParse(input.issuer) || !isLoopbackHost(new URL(input.issuer).hostname)) {
    return `the server's authorization server ${input.issuer} is not the lab's (pnpm serve runs it on loopback): only it mints the tokens this check needs`;
  }
  // A token is never sent to another AS than the one that issued it.
  if (jwtPayload(input.token)?.iss !== input.issuer) return `the token was not issued by ${input.issuer}`;
  return undefined;
}

/** Asks the lab's grading facility for a twin of the journey's token. */
async function twin(ctx: ProbeContext, input: TokenCheckInput, gradingCase: 'expired' | 'other-audience'): Promise<{ token?: string; why: string }> {
  const url = gradingTokensUrl(input.issuer!);
  const response = await ctx.fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${input.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ case: gradingCase }).toString(),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 200 && isJsonObject(body) && typeof body.access_token === 'string') {
    return { token: body.access_token, why: `${url} gave a twin${typeof body.aud === 'string' ? ` for ${body.aud}` : ''}` };
  }
  return { why: `POST ${url} → ${response.status}: the server's AS has no grading facility (only the lab's AS run by pnpm serve has one)` };
}

async function withTwin(ctx: ProbeContext, input: TokenCheckInput, id: 'audience' | 'expiry'): Promise<ServerCheckResult> {
  const why = notTheLab(input);
  if (why) return graded(ctx, id, 'not-seen', why);
  const gradingCase = id === 'audience' ? 'other-audience' : 'expired';
  probing(ctx, id, id === 'audience' ? 'a token the lab\'s AS issued for another resource' : 'an expired token from the lab\'s AS');
  try {
    const minted = await twin(ctx, input, gradingCase);
    if (!minted.token) return graded(ctx, id, 'not-seen', minted.why);
    const what = id === 'audience' ? `POST with a token for another resource (${minted.why})` : 'POST with a token expired 10 minutes ago';
    return refusal(ctx, id, what, await probeMcp(ctx, { check: id, token: minted.token }));
  } catch (error) {
    return unreachable(ctx, id, `the ${gradingCase} probe`, error);
  }
}

export const checkAudience = (ctx: ProbeContext, input: TokenCheckInput) => withTwin(ctx, input, 'audience');
export const checkExpiry = (ctx: ProbeContext, input: TokenCheckInput) => withTwin(ctx, input, 'expiry');

export async function checkQueryToken(ctx: ProbeContext, input: TokenCheckInput): Promise<ServerCheckResult> {
  probing(ctx, 'query-token', 'the journey\'s token in the query string, no Authorization header');
  let answer;
  try {
    answer = await probeMcp(ctx, { check: 'query-token', queryToken: input.token });
  } catch (error) {
    return unreachable(ctx, 'query-token', 'POST ?access_token=…', error);
  }
  const evidence = `POST ?access_token=… → ${answerLine(answer)}`;
  // MCP 2025-11-25 "Token Requirements": "Access tokens MUST NOT be included in the URI query string".
  return graded(ctx, 'query-token', answer.status >= 200 && answer.status < 300 ? 'fail' : 'pass', answer.status < 300 ? `${evidence} (accepted)` : evidence);
}
