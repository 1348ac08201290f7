/**
 * What the resource server does with an RFC 7662 introspection answer, for both of its uses:
 *
 * - `checkStillActive`: a JWT that passed every local check is confirmed with the AS (the lab's
 *   revocation mechanism). `active: false` means revoked (or expired, or unknown: §2.2 lumps them).
 * - `verifyOpaqueAccessToken`: a token that is not a JWT (an opaque reference) is known only to
 *   the AS; its answer IS the token's claims, and they get the same checks a JWT's would:
 *   - `aud` must be present and name this server (`checkAudience` of token-profile.ts). An
 *     answer without `aud` is refused: the audience check is never optional.
 *   - `iss`, when present (RFC 7662 §2.2: OPTIONAL), must equal the configured issuer exactly. The
 *     endpoint itself was found in (or configured for) that issuer, which vouches for an answer
 *     that omits it.
 *   - `exp`, when present, must be in the future (with the clock tolerance).
 *   - `sub` and `client_id` must be present: the tools report who calls, for which client.
 *   - `scope` (RFC 7662 §2.2: a space-separated string) gives the scopes; absent = none (403 later).
 *
 * Neither the token nor the answer is ever forwarded anywhere.
 */
import type { TokenClaims } from '@mcp-auth-demo/trace';
import { InvalidAccessToken } from './invalid-access-token.ts';
import { checkAudience, readScopes, type ResolvedTokenProfile } from './token-profile.ts';
import type { IntrospectionResponse, TokenIntrospection } from './introspection-client.ts';

export interface IntrospectedClaims extends TokenClaims {
  sub: string;
  client_id: string;
  scope: string;
  exp: number;
}

/** Check 9 of verify-access-token.ts: the AS still holds the JWT active (RFC 7662 §2.2). */
export async function checkStillActive(token: string, profile: ResolvedTokenProfile, introspection: TokenIntrospection): Promise<void> {
  const answer = await introspection.introspect(token);
  // RFC 7662 §2.2: "active" false covers revoked, expired, unknown and not-for-you alike.
  if (!answer.active) throw new InvalidAccessToken('revoked', 'The access token is no longer active: the authorization server revoked it (RFC 7662 §2.2).');
  // The AS's own word on the audience must name this server too, when it gives one.
  if (answer.aud !== undefined) checkAudience(answer.aud, profile, 'The authorization server says the token');
}

function requiredString(answer: IntrospectionResponse, claim: string): string {
  const value = answer[claim];
  if (typeof value !== 'string' || value === '') {
    throw new InvalidAccessToken(value === undefined ? 'missing_claim' : 'invalid_claim', `The introspection answer lacks a non-empty "${claim}".`);
  }
  return value;
}

export interface OpaqueOptions {
  issuer: string;
  profile: ResolvedTokenProfile;
  introspection: TokenIntrospection;
  clockToleranceSeconds: number;
  now: () => number;
}

/** An opaque token, checked by asking the AS (RFC 7662 §2.1); throws an `InvalidAccessToken`. */
export async function verifyOpaqueAccessToken(token: string, options: OpaqueOptions): Promise<{ claims: IntrospectedClaims; scopes: string[] }> {
  const answer = await options.introspection.introspect(token);
  if (!answer.active) throw new InvalidAccessToken('inactive', 'The authorization server says this access token is not active (RFC 7662 §2.2).');
  // Never optional, for opaque tokens too: an answer that does not say for whom is refused.
  checkAudience(answer.aud, options.profile, 'The token');
  // RFC 7662 §2.2 `iss` is OPTIONAL; when present it must be our issuer, compared exactly.
  if (answer.iss !== undefined && answer.iss !== options.issuer) {
    throw new InvalidAccessToken('wrong_issuer', 'The token was not issued by this server\'s authorization server (iss).');
  }
  const nowSeconds = Math.floor(options.now() / 1000);
  if (answer.exp !== undefined && (typeof answer.exp !== 'number' || answer.exp + options.clockToleranceSeconds <= nowSeconds)) {
    throw new InvalidAccessToken('expired', 'The access token has expired (exp of the introspection answer).');
  }
  const scopes = readScopes(answer.scope, 'scope');
  if (scopes === undefined) throw new InvalidAccessToken('invalid_claim', 'The introspection answer\'s "scope" must be a space-separated string (RFC 7662 §2.2).');
  const claims: IntrospectedClaims = {
    iss: options.issuer,
    sub: requiredString(answer, 'sub'),
    aud: answer.aud as string | string[],
    client_id: requiredString(answer, 'client_id'),
    scope: scopes.join(' '),
    // Without `exp` the AS's "active" is the only bound; report the present instant.
    exp: typeof answer.exp === 'number' ? answer.exp : nowSeconds,
    ...(typeof answer.iat === 'number' ? { iat: answer.iat } : {}),
    ...(typeof answer.jti === 'string' ? { jti: answer.jti } : {}),
  };
  return { claims, scopes };
}
