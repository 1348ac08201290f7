/**
 * The grading facility (DEMO DEVIATION, named `dangerouslyMintGradingTokens`, off by default; only
 * `pnpm serve` turns it on, only for a loopback issuer, config.ts): `pnpm client URL --grade`
 * tests whether an MCP server refuses a token it must refuse, and two of those tokens only the
 * AS can make. The holder of a valid token from this AS gets its twin:
 *
 *   authenticateHolder -> checkCase -> mint the twin
 *
 * - `case=expired`: the same claims, with `exp` ten minutes in the past (RFC 9068 §4: the RS
 *   "MUST" reject an expired token; RFC 7519 §4.1.4). Nobody can use it anywhere.
 * - `case=other-audience`: the same claims, with `aud` another resource this AS issues for
 *   (RFC 8707 §2; MCP 2025-11-25 "Token Audience Binding and Validation": the server MUST
 *   refuse it), living 60 s. The AS chooses the resource, never the caller.
 *
 * What this costs, and why it is acceptable here only: the other-audience twin skips the
 * consent for that other resource. The lab has one demo account and approves loopback clients
 * headless anyway (docs/security.md, "Deviations from production, named"); a production AS
 * never mints a token that nobody authorized.
 *
 * Errors are the one OAuthError: no or a bad token is 401 `invalid_token` with a Bearer
 * challenge (RFC 6750 §3.1), an unknown case 400 `invalid_request`, no other resource 400
 * `invalid_target` (RFC 8707 §2).
 */
import { bearerCredentials, OAuthError } from '@mcp-auth-demo/common';
import type { Context } from 'hono';
import type { JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../config.ts';
import { readFormBody, requiredParameter } from '../request-rules.ts';
import type { RevokedTokens } from '../state/revoked-tokens.ts';
import { createOwnTokenVerifier, signAccessToken, type AccessTokenClaims } from '../tokens/access-token.ts';

type VerifyOwnToken = ReturnType<typeof createOwnTokenVerifier>;

/** The slice of the configuration this module reads. */
export type GradingTokensConfig = Pick<ResolvedConfig, 'issuer' | 'now' | 'signingKey' | 'resources'>;

export const GRADING_CASES = ['expired', 'other-audience'] as const;
export type GradingCase = (typeof GRADING_CASES)[number];

/** How far in the past the expired twin's `exp` lies: beyond any clock skew an RS allows. */
const EXPIRED_AGO_SECONDS = 600;
/** The other-audience twin's lifetime: a grading run uses it at once. */
const OTHER_AUDIENCE_TTL_SECONDS = 60;

function invalidToken(description: string): OAuthError {
  return new OAuthError('invalid_token', description, { bearer: {} });
}

/** The caller holds a valid, unrevoked token from this AS (RFC 6750 §2.1: in the Authorization header). */
async function authenticateHolder(c: Context, verifyOwnToken: VerifyOwnToken, revoked: RevokedTokens): Promise<JWTPayload> {
  const token = bearerCredentials(c.req.header('authorization'));
  if (!token) throw invalidToken('The grading facility gives a twin of a token you hold: send it in Authorization: Bearer.');
  let payload: JWTPayload;
  try {
    payload = await verifyOwnToken(token, ['jti', 'aud', 'sub', 'client_id']);
  } catch {
    throw invalidToken('The token is not a valid access token of this authorization server.');
  }
  if (revoked.isRevoked(String(payload.jti))) throw invalidToken('The token was revoked.');
  return payload;
}

function checkCase(params: URLSearchParams): GradingCase {
  const value = requiredParameter(params, 'case');
  if (!(GRADING_CASES as readonly string[]).includes(value)) {
    throw new OAuthError('invalid_request', `case must be one of ${GRADING_CASES.join(', ')}.`);
  }
  return value as GradingCase;
}

export function createGradingTokensHandler({ config, revoked }: { config: GradingTokensConfig; revoked: RevokedTokens }) {
  const verifyOwnToken = createOwnTokenVerifier(config);
  return async function gradingTokens(c: Context): Promise<Response> {
    const params = await readFormBody(c, 'The grading request must be application/x-www-form-urlencoded.');
    const held = await authenticateHolder(c, verifyOwnToken, revoked);
    const gradingCase = checkCase(params);
    const aud = String(held.aud);
    const now = Math.floor(config.now() / 1000);
    const base = { iss: config.issuer, sub: String(held.sub), client_id: String(held.client_id), scope: String(held.scope ?? ''), jti: randomUUID() };
    let claims: AccessTokenClaims;
    if (gradingCase === 'expired') {
      claims = { ...base, aud, iat: now - EXPIRED_AGO_SECONDS - 60, exp: now - EXPIRED_AGO_SECONDS };
    } else {
      const other = config.resources.find((resource) => resource !== aud);
      // RFC 8707 §2: invalid_target when no resource fits.
      if (!other) throw new OAuthError('invalid_target', 'This authorization server issues tokens for no other resource than the token\'s.');
      claims = { ...base, aud: other, iat: now, exp: now + OTHER_AUDIENCE_TTL_SECONDS };
    }
    const { access_token } = await signAccessToken(claims, await config.signingKey);
    c.header('Cache-Control', 'no-store');
    return c.json({ case: gradingCase, access_token, aud: claims.aud, exp: claims.exp });
  };
}
