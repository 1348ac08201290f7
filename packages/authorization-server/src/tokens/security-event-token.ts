/**
 * Signing the revocation Security Event Token (RFC 8417) that tells one resource server that an
 * access token is revoked. The shape both ends share is in common (security-event.ts).
 *
 * - RFC 8417 §2.3: the JOSE header `typ` is `secevent+jwt` ("explicit typing", RFC 8725 §3.11).
 * - RFC 8417 §2.2: `iss` (this AS), `aud` (the ONE resource server it is for: its canonical
 *   resource URI, so a SET for one server is refused by another), `iat`, a fresh `jti` (the
 *   SET's own id, RFC 8417 §2.2 "unique identifier"), and `events`.
 * - RFC 8417 §2.2: no `exp` and no `sub`: a SET is not an access token, and the subject of the
 *   event (the revoked token) is named inside the event.
 * - Signed with the key that signs access tokens, published at `jwks_uri`: the receiver already
 *   trusts that key for this issuer, and that is what authenticates the AS to it (RFC 8935 §2).
 */
import { ACCESS_TOKEN_REVOKED_EVENT, SECURITY_EVENT_TOKEN_TYPE, type AccessTokenRevokedEvent } from '@mcp-auth-demo/common';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { RevocationEntry } from '../state/revocation-log.ts';
import type { SigningKey } from './keys.ts';

export interface RevocationSetInput {
  issuer: string;
  /** The resource server's canonical resource URI. */
  audience: string;
  epoch: string;
  entry: RevocationEntry;
  now: () => number;
}

/** A compact, signed SET saying that `entry.jti` is revoked. */
export async function signRevocationEvent(key: SigningKey, input: RevocationSetInput): Promise<string> {
  const event: AccessTokenRevokedEvent = {
    jti: input.entry.jti,
    exp: Math.ceil(input.entry.expiresAtMs / 1000),
    epoch: input.epoch,
    seq: input.entry.seq,
  };
  return new SignJWT({ events: { [ACCESS_TOKEN_REVOKED_EVENT]: event } })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: SECURITY_EVENT_TOKEN_TYPE })
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setIssuedAt(Math.floor(input.now() / 1000))
    .setJti(randomUUID())
    .sign(key.privateKey);
}
