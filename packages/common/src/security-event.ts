/**
 * The revocation Security Event Token, as both ends read it: the AS signs one per revocation and
 * per resource server (authorization-server tokens/security-event-token.ts); the resource server
 * verifies it (resource-server security-event-receiver.ts). Delivery: RFC 8935 push, and the
 * catch-up answer of the AS's revocation events endpoint (docs/revocation.md).
 *
 * - RFC 8417 §2.3: `typ` is `secevent+jwt`, so a SET cannot be mistaken for an access token
 *   (whose `typ` is `at+jwt`, RFC 9068 §2.1) and no access token for a SET.
 * - RFC 8417 §2.2: `iss`, `aud`, `iat`, `jti` and `events`, an object keyed by event type URIs.
 *   The event type is the lab's own URI: RFC 8417 §2.2 leaves event types to profiles, and no
 *   registered profile names "this one access token, by its `jti`, is revoked".
 * - The event's members: the revoked token's `jti` and `exp` (the resource server keeps the
 *   revocation until then), and where it sits in the AS's revocation log (`epoch`, `seq`).
 */

/** RFC 8417 §2.3: the JWT `typ` of a Security Event Token. */
export const SECURITY_EVENT_TOKEN_TYPE = 'secevent+jwt';

/** RFC 8935 §2: the media type a SET is pushed with. */
export const SECURITY_EVENT_MEDIA_TYPE = 'application/secevent+jwt';

/** The event type URI of an access-token revocation (a lab-defined event, RFC 8417 §2.2). */
export const ACCESS_TOKEN_REVOKED_EVENT = 'urn:mcp-auth-demo:secevent:access-token-revoked';

/** The payload of that event. */
export interface AccessTokenRevokedEvent {
  /** The revoked access token's `jti` (RFC 9068 §2.2). */
  jti: string;
  /** Its `exp`, seconds since the epoch: after it the revocation need not be kept. */
  exp: number;
  /** The AS run whose revocation log this entry is in (a new one after every AS start). */
  epoch: string;
  /** The entry's position in that log, from 1. */
  seq: number;
}

/**
 * RFC 8935 §2.4 error codes, the `err` of a receiver's 400 answer (`{ "err", "description" }`).
 */
export type SecurityEventErrorCode =
  | 'invalid_request'
  | 'invalid_key'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'authentication_failed'
  | 'access_denied';
