/**
 * The access tokens this resource server knows are revoked, by `jti` (RFC 9068 §2.2), each kept
 * until the token's own `exp`: after that the token is refused as expired anyway. Fed by the
 * revocation SETs the AS pushes (security-event-receiver.ts) and the catch-up of
 * revocation-channel.ts; asked by check 9 of verify-access-token.ts (revocation-check.ts).
 *
 * Bounded: at most `maxEntries`. A revocation that does not fit is NOT dropped silently: `add`
 * says so, and the channel then counts as lost (revocation-channel.ts), so every token is
 * introspected until entries expire (fail closed). The set itself is common's ExpiringIdSet,
 * the AS's record of revocations too (state/revoked-tokens.ts).
 */
import { ExpiringIdSet } from '@mcp-auth-demo/common';

export const REVOKED_TOKEN_IDS_MAX_ENTRIES = 100_000;

export class RevokedTokenIds {
  readonly #ids: ExpiringIdSet;

  constructor(now: () => number, maxEntries = REVOKED_TOKEN_IDS_MAX_ENTRIES) {
    this.#ids = new ExpiringIdSet(now, maxEntries);
  }

  /** Records a revocation; false when the set is full (the caller must fail closed). */
  add(jti: string, expSeconds: number): boolean {
    return this.#ids.add(jti, expSeconds * 1000) !== 'full';
  }

  has(jti: string): boolean {
    return this.#ids.has(jti);
  }

  get size(): number {
    return this.#ids.size;
  }
}
