/**
 * Check 9 of verify-access-token.ts: is this token, which passed every local check, revoked?
 * Two ways to know (docs/revocation.md):
 *
 * - Pushed (the default): while the revocation channel is live (revocation-channel.ts), the AS
 *   has told this server about every revocation (RFC 8417 SETs by RFC 8935 push, caught up from
 *   a cursor), so the token's `jti` is looked up in the revoked set: no round trip.
 * - Asked (RFC 7662): while the channel is not live (the AS down or restarting, the subscription
 *   refused, not subscribed yet), or with `--introspect-every-request`, the AS is asked about
 *   every token, as before. Fail closed: no channel never means "not revoked".
 *
 * A token without `jti` cannot be named by a revocation: it is always introspected.
 * A `jti` known revoked is refused either way, without asking.
 * When the AS's JWK Set was fetched again since the channel's last renewal (a new `kid`: maybe a
 * restarted AS that knows no subscriber yet), the channel is renewed first, catching up, and
 * only then asked (revocation-channel.ts).
 */
import { checkStillActive } from './introspected-access-token.ts';
import { InvalidAccessToken } from './invalid-access-token.ts';
import type { RevocationChannel } from './revocation-channel.ts';
import type { RevokedTokenIds } from './revoked-token-ids.ts';
import type { TokenIntrospection } from './introspection-client.ts';
import type { ResolvedTokenProfile } from './token-profile.ts';

export type RevocationCheck = (token: string, jti: string | undefined) => Promise<void>;

export interface RevocationCheckOptions {
  profile: ResolvedTokenProfile;
  introspection: TokenIntrospection;
  /** Absent with `--introspect-every-request`. */
  channel: RevocationChannel | undefined;
  revoked: RevokedTokenIds;
}

export function createRevocationCheck({ profile, introspection, channel, revoked }: RevocationCheckOptions): RevocationCheck {
  return async (token, jti) => {
    if (jti !== undefined && channel?.needsConfirmation()) await channel.renew();
    if (jti !== undefined && revoked.has(jti)) {
      // RFC 6750 §3.1 invalid_token: "revoked"; the AS said so in a SET (RFC 8417, RFC 8935).
      throw new InvalidAccessToken('revoked', 'The access token was revoked: the authorization server said so in a Security Event Token (RFC 8417).');
    }
    if (jti !== undefined && channel?.isLive()) return;
    channel?.noteFallback();
    await checkStillActive(token, profile, introspection);
  };
}
