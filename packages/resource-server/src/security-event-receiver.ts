/**
 * The resource server as a receiver of revocation Security Event Tokens (RFC 8417) pushed by its
 * authorization server (RFC 8935), at `<resource>/security-events` (docs/revocation.md).
 *
 *   the media type -> verifyRevocationSet (signature, typ, iss, aud, iat, jti, the event) -> 202
 *
 * - RFC 8935 §2: the SET is the body of a POST with `Content-Type: application/secevent+jwt`.
 * - RFC 8935 §2.2: a SET that is accepted is answered 202 Accepted, with no body.
 * - RFC 8935 §2.3: one that is not is answered 400 with `{ "err", "description" }`, `err` from
 *   §2.4: `invalid_request`, `invalid_key` (the signature), `invalid_issuer`, `invalid_audience`.
 * - Authentication of the AS: the signature, with a key of the AS's JWK Set (the keys that sign
 *   its access tokens), and `iss` equal to that AS. Nobody else can make this server refuse a
 *   token: a forged, replayed-elsewhere or mistyped SET changes nothing.
 * - RFC 8417 §2.3 / RFC 8725 §3.11: `typ` must be `secevent+jwt`, so an access token signed by
 *   the same key is not taken for a SET.
 */
import {
  ACCESS_TOKEN_REVOKED_EVENT,
  mediaType,
  OAuthError,
  SECURITY_EVENT_MEDIA_TYPE,
  SECURITY_EVENT_TOKEN_TYPE,
  type AccessTokenRevokedEvent,
  type SecurityEventErrorCode,
} from '@mcp-auth-demo/common';
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** RFC 8725 §3.1: the same asymmetric allow-list as access tokens (never `none`, never HMAC). */
const SET_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
/** A SET is a few hundred bytes; anything much bigger is not one. */
export const MAX_SET_BYTES = 16 * 1024;

export interface SetVerification {
  /** The issuer identifier of this server's AS. */
  issuer: string;
  /** This server's canonical resource URI: the SET's `aud`. */
  resource: string;
  getKey: JWTVerifyGetKey;
  now: () => number;
}

function refuse(err: SecurityEventErrorCode, description: string): OAuthError {
  // RFC 8935 §2.3: "the SET Recipient ... MUST respond with HTTP Status Code 400".
  return new OAuthError(err, description, { status: 400, securityEvent: true });
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Verifies a compact SET and returns its revocation event; throws the RFC 8935 §2.4 error. */
export async function verifyRevocationSet(set: string, options: SetVerification): Promise<AccessTokenRevokedEvent> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(set, options.getKey, {
      algorithms: SET_ALGORITHMS,
      // RFC 8417 §2.3: "typ" ... "secevent+jwt".
      typ: SECURITY_EVENT_TOKEN_TYPE,
      // RFC 8935 §2.4 invalid_issuer: the SET must come from this server's AS.
      issuer: options.issuer,
      // RFC 8935 §2.4 invalid_audience / RFC 8417 §2.2: the SET is for this resource server.
      audience: options.resource,
      // RFC 8417 §2.2: "iat" and "jti" are REQUIRED.
      requiredClaims: ['iat', 'jti'],
      currentDate: new Date(options.now()),
    }));
  } catch (error) {
    if (error instanceof OAuthError) throw error; // the AS's keys could not be fetched (503)
    if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JOSEAlgNotAllowed) {
      throw refuse('invalid_key', 'The SET is not signed with a key of this server\'s authorization server (RFC 8935 §2.4).');
    }
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') throw refuse('invalid_issuer', 'The SET\'s iss is not this server\'s authorization server.');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') throw refuse('invalid_audience', 'The SET is not addressed to this resource server (aud).');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'typ') throw refuse('invalid_request', 'The JWT is not a Security Event Token: typ must be secevent+jwt (RFC 8417 §2.3).');
    throw refuse('invalid_request', 'The body is not a valid Security Event Token (RFC 8417 §2).');
  }
  const events = payload.events as Record<string, unknown> | undefined;
  const event = events?.[ACCESS_TOKEN_REVOKED_EVENT] as Partial<AccessTokenRevokedEvent> | undefined;
  // RFC 8417 §2.2: "events" REQUIRED; the event's members as this profile defines them (common security-event.ts).
  if (typeof event !== 'object' || event === null || typeof event.jti !== 'string' || event.jti === '' || !isPositiveInteger(event.exp)
    || typeof event.epoch !== 'string' || !isPositiveInteger(event.seq)) {
    throw refuse('invalid_request', `The SET carries no valid ${ACCESS_TOKEN_REVOKED_EVENT} event.`);
  }
  return { jti: event.jti, exp: event.exp, epoch: event.epoch, seq: event.seq };
}

/** Bounds the body before it is read: a larger one is refused as no SET. */
export const limitSetBody: MiddlewareHandler = bodyLimit({
  maxSize: MAX_SET_BYTES,
  onError: () => {
    throw refuse('invalid_request', `The SET is larger than ${MAX_SET_BYTES} bytes.`);
  },
});

/** The Hono handler of the receiver: `accept` takes every verified event. */
export function createSecurityEventReceiver(options: SetVerification, accept: (event: AccessTokenRevokedEvent) => void) {
  return async (c: Context): Promise<Response> => {
    // RFC 8935 §2: "Content-Type" ... "application/secevent+jwt".
    if (mediaType(c.req.header('content-type')) !== SECURITY_EVENT_MEDIA_TYPE) {
      throw refuse('invalid_request', `A SET is pushed as ${SECURITY_EVENT_MEDIA_TYPE} (RFC 8935 §2).`);
    }
    const body = await c.req.text();
    accept(await verifyRevocationSet(body.trim(), options));
    // RFC 8935 §2.2: "the SET Recipient MUST respond with HTTP Response Status Code 202 (Accepted)".
    return c.body(null, 202);
  };
}
