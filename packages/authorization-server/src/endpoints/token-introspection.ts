/**
 * Token introspection (RFC 7662): how a resource server asks this authorization server whether
 * an access token is active. It is the lab's one revocation mechanism: the RS verifies our JWTs
 * on its own (signature, `iss`, `aud`, `exp`), then asks here, because only the AS knows that a
 * token was revoked (a replayed code, RFC 6749 §4.1.2; a reused refresh token, RFC 9700 §4.14).
 *
 * The endpoint, as an ordered list of checks:
 *
 *   readFormBody -> authenticateResourceServer -> token parameter -> introspect
 *
 * - §2.1: POST, `application/x-www-form-urlencoded`, `token` REQUIRED, `token_type_hint` OPTIONAL
 *   (this AS has one kind of token, so the hint is ignored, as §2.1 allows).
 * - §2.1: "the endpoint MUST also require some form of authorization": the resource server
 *   authenticates with its client credentials, HTTP Basic (RFC 6749 §2.3.1, `client_secret_basic`).
 * - §2.3: bad credentials are 401 `invalid_client` (RFC 6749 §5.2, with `WWW-Authenticate`);
 *   a missing `token` is 400 `invalid_request`.
 * - §2.2: a token that is expired, revoked, unknown, or that "the protected resource is not
 *   allowed to introspect" is `{"active": false}`, with nothing else: "the authorization server
 *   SHOULD NOT include any additional information about an inactive token". A resource server
 *   may introspect only tokens whose `aud` is its own resource (RFC 7662 §4, RFC 8707 §2), so it
 *   learns nothing about tokens meant for anyone else. The reason goes to the AS's trace only.
 */
import { OAuthError } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { Context } from 'hono';
import { errors, type JWTPayload } from 'jose';
import { createHash } from 'node:crypto';
import type { IntrospectionClient, ResolvedConfig } from '../config.ts';
import { constantTimeEqual, readFormBody, requiredParameter } from '../request-rules.ts';
import type { RevokedTokens } from '../state/revoked-tokens.ts';
import { createOwnTokenVerifier } from '../tokens/access-token.ts';

/** The slice of the configuration this module reads. */
export type IntrospectionConfig = Pick<ResolvedConfig, 'introspectionClients' | 'issuer' | 'now' | 'signingKey'>;

/** Why a token is inactive: for this server's trace only, never for the wire (RFC 7662 §2.2). */
export type InactiveReason = 'expired' | 'revoked' | 'not_issued_here' | 'other_audience';

export type Introspection =
  | { active: false; reason: InactiveReason }
  | { active: true; claims: JWTPayload };

export interface IntrospectionDependencies {
  config: IntrospectionConfig;
  revoked: RevokedTokens;
  emit: Emit;
}

/** RFC 6749 §2.3.1: both halves of Basic credentials are form-urlencoded before base64. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function invalidClient(issuer: string, description: string): OAuthError {
  // RFC 6749 §5.2: a client that authenticated (or should have) via the Authorization header gets
  // 401 and "MUST include the WWW-Authenticate response header field matching the authentication scheme".
  return new OAuthError('invalid_client', description, { status: 401, headers: { 'WWW-Authenticate': `Basic realm="${issuer}"` } });
}

/** RFC 7662 §2.1: "the endpoint MUST also require some form of authorization". */
export function authenticateResourceServer(c: Context, config: Pick<IntrospectionConfig, 'introspectionClients' | 'issuer'>): IntrospectionClient {
  const header = c.req.header('authorization') ?? '';
  const match = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(header);
  if (!match?.[1]) {
    throw invalidClient(config.issuer, 'The introspection endpoint requires the resource server\'s client credentials (HTTP Basic, RFC 7662 §2.1).');
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = colon > 0 ? formDecode(decoded.slice(0, colon)) : undefined;
  const secret = colon > 0 ? formDecode(decoded.slice(colon + 1)) : undefined;
  const client = config.introspectionClients.find((candidate) => candidate.client_id === clientId);
  // One answer for an unknown client and a wrong secret, so neither can be probed.
  if (!client || secret === undefined || !constantTimeEqual(secret, client.client_secret)) {
    throw invalidClient(config.issuer, 'Invalid client credentials for the introspection endpoint (RFC 7662 §2.3).');
  }
  return client;
}

/** Most verified tokens the introspector remembers at once; the oldest goes first. */
export const INTROSPECTION_VERIFIED_MAX_ENTRIES = 1_000;

/**
 * Decides whether `token` is active for the resource server `caller`.
 *
 * The signature is verified once per token: a resource server that asks on every request would
 * otherwise have this AS verify the same RS256 signature again and again (a third of the
 * endpoint's busy time under load). Only what cannot change is remembered: that this AS signed
 * these claims. Expiry, revocation and the caller's audience are decided afresh on every call.
 * Entries are keyed by the token's SHA-256, never by the token, and leave when the token expires.
 */
export function createIntrospector({ config, revoked }: Omit<IntrospectionDependencies, 'emit'>) {
  const verifyOwnToken = createOwnTokenVerifier(config);
  const verified = new Map<string, JWTPayload & { exp: number }>();
  return async function introspect(token: string, caller: IntrospectionClient): Promise<Introspection> {
    const key = createHash('sha256').update(token).digest('base64url');
    let payload = verified.get(key);
    if (payload === undefined) {
      try {
        payload = await verifyOwnToken(token, ['jti', 'aud']);
      } catch (error) {
        return { active: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'not_issued_here' };
      }
      if (verified.size >= INTROSPECTION_VERIFIED_MAX_ENTRIES) verified.delete(verified.keys().next().value!);
      verified.set(key, payload);
    } else if (payload.exp <= Math.floor(config.now() / 1000)) {
      // The same rule jwtVerify applies (RFC 7519 §4.1.4: not accepted on or after exp).
      verified.delete(key);
      return { active: false, reason: 'expired' };
    }
    if (revoked.isRevoked(String(payload.jti))) return { active: false, reason: 'revoked' };
    // RFC 7662 §2.2: inactive when "the protected resource is not allowed to introspect this particular token".
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(caller.resource)) return { active: false, reason: 'other_audience' };
    return { active: true, claims: payload };
  };
}

export function createIntrospectionHandler({ config, revoked, emit }: IntrospectionDependencies) {
  const introspect = createIntrospector({ config, revoked });
  return async function introspection(c: Context): Promise<Response> {
    // RFC 7662 §2.1: "application/x-www-form-urlencoded" data.
    const params = await readFormBody(c, 'The introspection request must be application/x-www-form-urlencoded (RFC 7662 §2.1).');
    const caller = authenticateResourceServer(c, config);
    // RFC 7662 §2.1: token "REQUIRED. The string value of the token."
    const token = requiredParameter(params, 'token', 'RFC 7662 §2.1');
    const result = await introspect(token, caller);
    emit('token.introspected', {
      caller: caller.client_id,
      active: result.active,
      ...(result.active ? { jti: String(result.claims.jti) } : { reason: result.reason }),
      spec: 'RFC 7662 §2.2',
    });
    // RFC 7662 §2.2: an inactive token gets `active: false` and nothing more.
    if (!result.active) return c.json({ active: false });
    const { iss, sub, aud, client_id, scope, exp, iat, jti } = result.claims;
    // RFC 7662 §2.2: `active` REQUIRED; the others are the token's own claims, token_type per RFC 6749 §7.1.
    return c.json({ active: true, iss, sub, aud, client_id, scope, exp, iat, jti, token_type: 'Bearer' });
  };
}
