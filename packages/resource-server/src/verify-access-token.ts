/**
 * Validating a JWT access token (RFC 9068 §4) issued for THIS server (RFC 8707, MCP "Token
 * Audience Binding"). Any failure is 401 `invalid_token` (RFC 6750 §3.1; MCP authorization
 * "Invalid or expired tokens MUST receive a HTTP 401 response").
 *
 * The checks, in order (jose's `jwtVerify` runs 1-6; this module adds 7-8):
 * 1. `alg` is in an allow-list of asymmetric algorithms (RFC 8725 §3.1; RFC 9068 §4: reject `none`).
 *    HMAC is never allowed, which defeats "algorithm confusion" (RFC 8725 §2.1): an HS256 token
 *    "signed" with the authorization server's PUBLIC key as the HMAC secret.
 * 2. The signature verifies with a key from the authorization server's JWKS (RFC 9068 §4).
 * 3. `typ` is `at+jwt` or `application/at+jwt` (RFC 9068 §4), so an ID token or any other JWT
 *    signed by the same key is not mistaken for an access token (RFC 8725 §3.11).
 * 4. `iss` equals the configured issuer exactly (RFC 9068 §4).
 * 5. `aud` includes this server's canonical URI (RFC 9068 §4, RFC 8707 §2).
 * 6. `exp` is in the future and `nbf` (if present) in the past, with a small leeway (RFC 9068 §4).
 * 7. `aud` names this server ONLY: a token also valid elsewhere could be replayed here by that
 *    other server (MCP security best practices, "Token Passthrough"; "confused deputy").
 * 8. The claims RFC 9068 §2.2 makes REQUIRED are present and typed (`sub`, `client_id`, `iat`,
 *    `jti`, and `exp`, `iss`, `aud` above), plus `scope` (§2.2.3), which this server authorizes on.
 *
 * The token itself is only ever compared and verified here; it is never forwarded anywhere
 * (MCP authorization: servers "MUST NOT accept or transit any other tokens").
 */
import { OAuthError, type Emit, type TokenClaims } from '@mcp-auth-demo/common';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { parseScopeClaim } from './scopes.ts';

/** RFC 8725 §3.1: an explicit allow-list. Asymmetric only: never `none`, never `HS*`. */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** RFC 9068 §2.2 REQUIRED claims (`iss`, `aud`, `exp` are also checked by value). */
const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti', 'scope'];

/** A stable, machine-readable reason for each rejection (shown in the trace, asserted by tests). */
export type InvalidTokenReason =
  | 'malformed'
  | 'alg_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_typ'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_claim'
  | 'invalid_claim';

/** A token that passed every check. */
export interface VerifiedAccessToken {
  claims: TokenClaims & { sub: string; client_id: string; scope: string; exp: number };
  scopes: string[];
  /** What the MCP SDK hands to tool handlers as `extra.authInfo`. */
  authInfo: AuthInfo;
}

export interface VerifyOptions {
  issuer: string;
  resource: string;
  getKey: JWTVerifyGetKey;
  clockToleranceSeconds: number;
  now: () => number;
  emit: Emit;
}

class InvalidAccessToken extends Error {
  constructor(
    readonly reason: InvalidTokenReason,
    description: string,
  ) {
    super(description);
  }
}

/** Turns jose's error into a reason and a description a developer can act on. */
function describe(error: unknown): InvalidAccessToken {
  if (error instanceof InvalidAccessToken) return error;
  if (error instanceof errors.JOSEAlgNotAllowed) return new InvalidAccessToken('alg_not_allowed', `The token's "alg" is not allowed; accepted: ${ALLOWED_ALGORITHMS.join(', ')}.`);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new InvalidAccessToken('unknown_key', 'The token is not signed with a key of the authorization server (unknown "kid").');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidAccessToken('bad_signature', 'The token signature is invalid.');
  if (error instanceof errors.JWTExpired) return new InvalidAccessToken('expired', 'The access token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'typ') return new InvalidAccessToken('wrong_typ', 'The token is not a JWT access token (typ must be "at+jwt", RFC 9068).');
    if (error.reason === 'missing') return new InvalidAccessToken('missing_claim', `The token lacks the required "${error.claim}" claim (RFC 9068 §2.2).`);
    if (error.claim === 'iss') return new InvalidAccessToken('wrong_issuer', 'The token was not issued by this server\'s authorization server.');
    if (error.claim === 'aud') return new InvalidAccessToken('wrong_audience', 'The token was not issued for this MCP server (aud).');
    if (error.claim === 'nbf') return new InvalidAccessToken('not_yet_valid', 'The access token is not valid yet (nbf).');
    return new InvalidAccessToken('invalid_claim', `The token's "${error.claim}" claim is invalid.`);
  }
  return new InvalidAccessToken('malformed', 'The access token is not a well-formed signed JWT.');
}

function requireString(payload: JWTPayload, claim: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '') throw new InvalidAccessToken('invalid_claim', `The token's "${claim}" claim must be a non-empty string.`);
  return value;
}

/** Checks 7 and 8 of the header, after jose has done the rest. */
function checkClaims(payload: JWTPayload, resource: string): VerifiedAccessToken['claims'] {
  // MCP authorization: servers "MUST validate that access tokens were issued specifically for
  // them as the intended audience" — this server, and no other resource besides.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.length !== 1 || audiences[0] !== resource) {
    throw new InvalidAccessToken('wrong_audience', 'The token must be issued for this MCP server only (aud).');
  }
  return {
    iss: requireString(payload, 'iss'),
    sub: requireString(payload, 'sub'),
    aud: payload.aud,
    client_id: requireString(payload, 'client_id'),
    // RFC 9068 §2.2.3 / RFC 8693 §4.2: `scope` is a space-separated string, not an array.
    scope: requireString(payload, 'scope'),
    exp: payload.exp as number,
    iat: payload.iat as number,
    jti: requireString(payload, 'jti'),
  };
}

/** Validates `token` or throws 401 `invalid_token`; emits `token.accepted` / `token.rejected`. */
export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<VerifiedAccessToken> {
  let claims: VerifiedAccessToken['claims'];
  try {
    const { payload } = await jwtVerify(token, options.getKey, {
      // RFC 9068 §4: the resource server "MUST reject any JWT in which the value of "alg" is "none"".
      algorithms: ALLOWED_ALGORITHMS,
      // RFC 9068 §4: "Resource servers MUST verify that the "typ" header value is "at+jwt" or "application/at+jwt"".
      typ: 'at+jwt',
      // RFC 9068 §4: the issuer "MUST exactly match the value of the "iss" claim".
      issuer: options.issuer,
      // RFC 9068 §4: the token "MUST be rejected if "aud" does not contain a resource indicator of the current resource server".
      audience: options.resource,
      // RFC 9068 §4: "The current time MUST be before the time represented by the "exp" claim", with "some small leeway".
      clockTolerance: options.clockToleranceSeconds,
      currentDate: new Date(options.now()),
      requiredClaims: REQUIRED_CLAIMS,
    });
    claims = checkClaims(payload, options.resource);
  } catch (error) {
    // The authorization server could not be reached: not a verdict on the token.
    if (error instanceof OAuthError) throw error;
    const rejection = describe(error);
    options.emit('token.rejected', { reason: rejection.reason, spec: 'RFC 9068 §4; RFC 6750 §3.1 invalid_token' });
    throw new OAuthError('invalid_token', rejection.message);
  }

  const scopes = parseScopeClaim(claims.scope);
  options.emit('token.accepted', { claims, spec: 'RFC 9068 §4; RFC 8707 §2 (aud is this server)' });
  return {
    claims,
    scopes,
    authInfo: {
      // The SDK's AuthInfo requires the token; the tools here never read or forward it.
      token,
      clientId: claims.client_id,
      scopes,
      expiresAt: claims.exp,
      resource: new URL(options.resource),
      extra: { sub: claims.sub, iss: claims.iss, aud: claims.aud, jti: claims.jti },
    },
  };
}
