/**
 * Access tokens as JWTs (RFC 9068, "JWT Profile for OAuth 2.0 Access Tokens").
 *
 * - §2.1: "JWT access tokens MUST be signed" (RS256 here, with the `kid` of the key published at
 *   `jwks_uri`) and "MUST include this media type in the typ header parameter": `at+jwt`.
 * - §2.2: claims `iss`, `exp`, `aud`, `sub`, `client_id`, `iat`, `jti` are REQUIRED; `scope`
 *   (§2.2.3) carries the granted scopes.
 * - RFC 8707 §2: `aud` is the resource the client asked for, so the token is good there only.
 *
 * createOwnTokenVerifier is the other direction, for the AS's own endpoints that are handed one
 * of its tokens (introspection, the grading facility): signed by this AS's key, `typ` at+jwt,
 * `iss` this issuer, not expired, the claims the caller relies on present.
 */
import { randomUUID } from 'node:crypto';
import { importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { TokenClaims } from '@mcp-auth-demo/trace';
import type { AuthorizationGrant } from '../state/codes.ts';
import type { ResolvedConfig } from '../config.ts';
import type { SigningKey } from './keys.ts';

/** The claims of an issued token, all present. */
export type AccessTokenClaims = Required<Omit<TokenClaims, 'aud'>> & { aud: string };

export interface IssuedAccessToken {
  access_token: string;
  claims: AccessTokenClaims;
  /** Lifetime in seconds (RFC 6749 §5.1 `expires_in`). */
  expires_in: number;
}

export interface ClaimOptions {
  issuer: string;
  ttlSeconds: number;
  nowMs: number;
}

/**
 * The claims of an RFC 9068 access token for what `grant` authorized, decided before signing, so
 * the caller can record the `jti` (where a replay or a reuse would revoke it) before the await.
 */
export function accessTokenClaims(grant: Pick<AuthorizationGrant, 'client_id' | 'sub' | 'scope' | 'resource'>, options: ClaimOptions): AccessTokenClaims {
  const iat = Math.floor(options.nowMs / 1000);
  return {
    iss: options.issuer,
    sub: grant.sub,
    // RFC 9068 §3 / RFC 8707 §2: aud names the requested resource; a single string, one audience.
    aud: grant.resource,
    client_id: grant.client_id,
    scope: grant.scope,
    iat,
    exp: iat + options.ttlSeconds,
    // RFC 9068 §2.2 / RFC 7519 §4.1.7: a unique identifier, random so it reveals nothing.
    jti: randomUUID(),
  };
}

/** Signs the claims as an RFC 9068 access token. */
export async function signAccessToken(claims: AccessTokenClaims, signingKey: SigningKey): Promise<IssuedAccessToken> {
  const access_token = await new SignJWT({ ...claims })
    // RFC 9068 §2.1: "JWT access tokens MUST include this media type in the typ header parameter".
    .setProtectedHeader({ alg: signingKey.alg, typ: 'at+jwt', kid: signingKey.kid })
    .sign(signingKey.privateKey);
  return { access_token, claims, expires_in: claims.exp - claims.iat };
}

/**
 * Verifies tokens this AS signed; throws jose's error when one is not (each caller says what
 * that means: inactive at introspection, 401 at the grading facility). The public key is
 * imported once, at first need (the signing key may still be being generated, config.ts).
 */
export function createOwnTokenVerifier(config: Pick<ResolvedConfig, 'issuer' | 'now' | 'signingKey'>) {
  let publicKey: ReturnType<typeof importJWK> | undefined;
  return async function verifyOwnToken(token: string, requiredClaims: string[]): Promise<JWTPayload & { exp: number }> {
    const signingKey = await config.signingKey;
    publicKey ??= importJWK(signingKey.publicJwk, signingKey.alg);
    const { payload } = await jwtVerify(token, await publicKey, {
      algorithms: [signingKey.alg],
      typ: 'at+jwt',
      issuer: config.issuer,
      currentDate: new Date(config.now()),
      requiredClaims: ['exp', ...requiredClaims],
    });
    return payload as JWTPayload & { exp: number };
  };
}
