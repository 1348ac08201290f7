/**
 * Validating an access token issued for THIS server (RFC 9068 §4; RFC 8707, MCP "Token Audience
 * Binding"), shaped as the configured token profile says (token-profile.ts: strict RFC 9068 by
 * default). Any failure is 401 `invalid_token` (RFC 6750 §3.1; MCP authorization "Invalid or
 * expired tokens MUST receive a HTTP 401 response").
 *
 * A JWT goes through these checks (jose's `jwtVerify` runs 1, 2, 4-6 first; this module the rest):
 * 1. `alg` is in an allow-list of asymmetric algorithms (RFC 8725 §3.1; RFC 9068 §4: reject `none`).
 *    HMAC is never allowed, which defeats "algorithm confusion" (RFC 8725 §2.1): an HS256 token
 *    "signed" with the authorization server's PUBLIC key as the HMAC secret.
 * 2. The signature verifies with a key from the authorization server's JWKS (RFC 9068 §4).
 * 3. `typ` is one the profile accepts: strictly `at+jwt` / `application/at+jwt` (RFC 9068 §4), so
 *    an ID token or any other JWT signed by the same key is not mistaken for an access token
 *    (RFC 8725 §3.11).
 * 4. `iss` equals the configured issuer exactly (RFC 9068 §4). Never optional.
 * 5. `aud` includes this server's identifier (RFC 9068 §4, RFC 8707 §2; token-profile.ts). Never optional.
 * 6. `exp` is in the future and `nbf` (if present) in the past, with a small leeway (RFC 9068 §4).
 * 7. `aud` names this server ONLY, unless the profile allows others: a token also valid elsewhere
 *    could be replayed here by that other server (MCP security best practices, "Token Passthrough").
 * 8. The profile's required claims are present and typed (strictly RFC 9068 §2.2: `sub`,
 *    `client_id`, `iat`, `jti`, and `exp`, `iss`, `aud` above). The scopes come from the profile's
 *    scope claim; a token without one grants no scope and meets 403 later, not 401.
 * 9. Revocation: when this server has introspection credentials, its `jti` is not among the
 *    revocations the AS pushed (RFC 8417 SETs, while that channel is live), or else the AS
 *    confirms the token is still active (RFC 7662 §2.2) (revocation-check.ts).
 *
 * A token that is not a JWT is refused as malformed, unless the profile checks opaque tokens by
 * introspection (RFC 7662; introspected-access-token.ts applies the same audience/issuer rules).
 *
 * The token itself is only ever compared and verified here; it is never forwarded anywhere
 * (MCP authorization: servers "MUST NOT accept or transit any other tokens").
 */
import { OAuthError } from '@mcp-auth-demo/common';
import type { Emit } from '@mcp-auth-demo/trace';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { claimedIdentity } from './bearer.ts';
import { InvalidAccessToken, type InvalidTokenReason } from './invalid-access-token.ts';
import { checkStillActive, verifyOpaqueAccessToken } from './introspected-access-token.ts';
import type { TokenIntrospection } from './introspection-client.ts';
import type { RevocationCheck } from './revocation-check.ts';
import { audienceOption, checkAudience, normaliseTyp, readScopes, type ResolvedTokenProfile, type VerifiedAccessToken } from './token-profile.ts';
import type { VerifiedTokenCache } from './verified-token-cache.ts';

export type { InvalidTokenReason } from './invalid-access-token.ts';
export type { VerifiedAccessToken } from './token-profile.ts';

/** RFC 8725 §3.1: an explicit allow-list. Asymmetric only: never `none`, never `HS*`. */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export interface VerifyOptions {
  issuer: string;
  getKey: JWTVerifyGetKey;
  clockToleranceSeconds: number;
  now: () => number;
  emit: Emit;
  /** The token profile (token-profile.ts), with this server's `resource`; strict RFC 9068 when resolved from an empty config. */
  profile: ResolvedTokenProfile;
  /** RFC 7662 introspection at the AS; when present, check 9 (revocation) runs on every request. */
  introspection?: TokenIntrospection | undefined;
  /** Check 9 (revocation-check.ts): pushed revocations, or introspection; when absent, `introspection` asks on every request. */
  revocation?: RevocationCheck | undefined;
  /** JWTs that passed checks 1-8 moments ago (verified-token-cache.ts); spares only those checks. */
  cache?: VerifiedTokenCache | undefined;
}

/** RFC 7515 §7.1: a compact JWS is three base64url segments (the third may be empty only for `none`). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Turns jose's error into a reason and a description a developer can act on. */
function describe(error: unknown): InvalidAccessToken {
  if (error instanceof InvalidAccessToken) return error;
  const reject = (reason: InvalidTokenReason, text: string) => new InvalidAccessToken(reason, text);
  if (error instanceof errors.JOSEAlgNotAllowed) return reject('alg_not_allowed', `The token's "alg" is not allowed; accepted: ${ALLOWED_ALGORITHMS.join(', ')}.`);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return reject('unknown_key', 'The token is not signed with a key of the authorization server (unknown "kid").');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return reject('bad_signature', 'The token signature is invalid.');
  if (error instanceof errors.JWTExpired) return reject('expired', 'The access token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return reject('missing_claim', `The token lacks the required "${error.claim}" claim (RFC 9068 §2.2).`);
    if (error.claim === 'iss') return reject('wrong_issuer', 'The token was not issued by this server\'s authorization server.');
    if (error.claim === 'aud') return reject('wrong_audience', 'The token was not issued for this MCP server (aud).');
    if (error.claim === 'nbf') return reject('not_yet_valid', 'The access token is not valid yet (nbf).');
    return reject('invalid_claim', `The token's "${error.claim}" claim is invalid.`);
  }
  return reject('malformed', 'The access token is not a well-formed signed JWT.');
}

function requireString(payload: JWTPayload, claim: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '') throw new InvalidAccessToken('invalid_claim', `The token's "${claim}" claim must be a non-empty string.`);
  return value;
}

function optionalString(payload: JWTPayload, claim: string): string | undefined {
  return payload[claim] === undefined ? undefined : requireString(payload, claim);
}

/** Check 3: RFC 9068 §4 "MUST verify that the "typ" header value is "at+jwt" or "application/at+jwt"" (or a named relaxation). */
function checkTyp(typ: unknown, profile: ResolvedTokenProfile): void {
  const normalised = normaliseTyp(typ);
  if (normalised === undefined || !profile.acceptedTypes.includes(normalised)) {
    const accepted = profile.acceptedTypes.map((t) => (t === null ? '(no typ)' : t)).join(', ');
    throw new InvalidAccessToken('wrong_typ', `The token is not a JWT access token: typ ${typ === undefined ? 'is absent' : JSON.stringify(typ)}; accepted: ${accepted} (RFC 9068 §4).`);
  }
}

/** RFC 9068 §2.2 (or the profile's list): the claims that must be present, after the typ is known good. */
function checkRequiredClaims(payload: JWTPayload, profile: ResolvedTokenProfile): void {
  for (const claim of profile.requiredClaims) {
    if (payload[claim] === undefined) throw new InvalidAccessToken('missing_claim', `The token lacks the required "${claim}" claim (RFC 9068 §2.2).`);
  }
}

/** Checks 7 and 8 of the header, after jose has done the rest. */
function checkClaims(payload: JWTPayload, profile: ResolvedTokenProfile): { claims: VerifiedAccessToken['claims']; scopes: string[] } {
  checkAudience(payload.aud, profile, 'The token');
  const scopes = readScopes(payload[profile.scopeClaim], profile.scopeClaim);
  // RFC 9068 §2.2.3 / RFC 8693 §4.2: `scope` is a space-separated string, not an array.
  if (scopes === undefined) throw new InvalidAccessToken('invalid_claim', `The token's "${profile.scopeClaim}" claim has the wrong type.`);
  const jti = optionalString(payload, 'jti');
  return {
    scopes,
    claims: {
      iss: requireString(payload, 'iss'),
      sub: requireString(payload, 'sub'),
      aud: payload.aud,
      client_id: requireString(payload, profile.clientIdClaim),
      scope: scopes.join(' '),
      exp: payload.exp as number,
      ...(typeof payload.iat === 'number' ? { iat: payload.iat } : {}),
      ...(jti !== undefined ? { jti } : {}),
    },
  };
}

async function verifyJwt(token: string, options: VerifyOptions) {
  // Checks 1-8, unless this very token passed them moments ago (verified-token-cache.ts).
  let checked = options.cache?.get(token);
  if (checked === undefined) {
    const { payload, protectedHeader } = await jwtVerify(token, options.getKey, {
      // RFC 9068 §4: the resource server "MUST reject any JWT in which the value of "alg" is "none"".
      algorithms: ALLOWED_ALGORITHMS,
      // RFC 9068 §4: the issuer "MUST exactly match the value of the "iss" claim".
      issuer: options.issuer,
      // Check 5, the audience rule's part that jose runs (token-profile.ts).
      ...audienceOption(options.profile),
      // RFC 9068 §4: "The current time MUST be before the time represented by the "exp" claim", with "some small leeway".
      clockTolerance: options.clockToleranceSeconds,
      currentDate: new Date(options.now()),
    });
    checkTyp(protectedHeader.typ, options.profile);
    checkRequiredClaims(payload, options.profile);
    checked = checkClaims(payload, options.profile);
    options.cache?.set(token, checked);
  }
  // THE RULE: revocation is checked on EVERY request. A cache of verified tokens may spare the
  // work above (signature, claims) but must sit before this line and never skip it; the only
  // caches allowed here are the introspection client's own, bounded by introspection.cacheSeconds,
  // and the set of pushed revocations, trusted only while its channel is live (revocation-check.ts).
  if (options.revocation) await options.revocation(token, checked.claims.jti);
  else if (options.introspection) await checkStillActive(token, options.profile, options.introspection);
  return checked;
}

/** Validates `token` or throws 401 `invalid_token`; emits `token.accepted` / `token.rejected`. */
export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<VerifiedAccessToken> {
  let verified: { claims: VerifiedAccessToken['claims']; scopes: string[] };
  const opaque = !COMPACT_JWS.test(token);
  try {
    if (!opaque) verified = await verifyJwt(token, options);
    else if (options.profile.opaqueTokens === 'introspect' && options.introspection) {
      verified = await verifyOpaqueAccessToken(token, { ...options, introspection: options.introspection });
    } else throw new InvalidAccessToken('malformed', 'The access token is not a well-formed signed JWT.');
  } catch (error) {
    // The authorization server could not be reached: not a verdict on the token (503).
    if (error instanceof OAuthError) throw error;
    const rejection = describe(error);
    const spec = opaque && options.profile.opaqueTokens === 'introspect' ? 'RFC 7662 §2.2' : 'RFC 9068 §4';
    options.emit('token.rejected', { reason: rejection.reason, ...claimedIdentity(token), spec: `${spec}; RFC 6750 §3.1 invalid_token` });
    throw new OAuthError('invalid_token', rejection.message);
  }

  const { claims, scopes } = verified;
  const { resource } = options.profile;
  options.emit('token.accepted', { claims, resource, spec: opaque ? 'RFC 7662 §2.2 (introspected); RFC 8707 §2 (aud is this server)' : 'RFC 9068 §4; RFC 8707 §2 (aud is this server)' });
  return {
    claims,
    scopes,
    authInfo: {
      // The SDK's AuthInfo requires the token; the tools here never read or forward it.
      token,
      clientId: claims.client_id,
      scopes,
      expiresAt: claims.exp,
      resource: new URL(resource),
      extra: { sub: claims.sub, iss: claims.iss, aud: claims.aud, jti: claims.jti },
    },
  };
}
