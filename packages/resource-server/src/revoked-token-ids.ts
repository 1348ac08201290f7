/**
 * The access tokens this resource server knows are revoked, by `jti` (RFC 9068 §2.2), each kept
 * until the token's own `exp`: after that the token is refused as expired anyway. Fed by the
 * revocation SETs the AS pushes (security-event-receiver.ts) and the catch-up of
 * revocation-channel.ts; asked by check 9 of verify-access-token.ts (revocation-check.ts).
 *
 * Bounded: at most `maxEntries`. A revocation that does not fit is NOT dropped silently: `add`
 * says so, and the channel then counts as lost (revocation-channel.ts), so every token is
 * introspected until entries expire (fail closed).
 */
export const REVOKED_TOKEN_IDS_MAX_ENTRIES = 100_000;

export class RevokedTokenIds {
  /** jti -> the token's `exp`, ms. Insertion order is close to expiry order (one token lifetime). */
  readonly #entries = new Map<string, number>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(now: () => number, maxEntries = REVOKED_TOKEN_IDS_MAX_ENTRIES) {
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  /** Records a revocation; false when the set is full (the caller must fail closed). */
  add(jti: string, expSeconds: number): boolean {
    this.#forgetExpired();
    const expiresAtMs = expSeconds * 1000;
    if (expiresAtMs <= this.#now() || this.#entries.has(jti)) return true;
    if (this.#entries.size >= this.#maxEntries) return false;
    this.#entries.set(jti, expiresAtMs);
    return true;
  }

  has(jti: string): boolean {
    const expiresAtMs = this.#entries.get(jti);
    return expiresAtMs !== undefined && this.#now() < expiresAtMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [jti, expiresAtMs] of this.#entries) {
      if (now < expiresAtMs) break;
      this.#entries.delete(jti);
    }
  }
}
