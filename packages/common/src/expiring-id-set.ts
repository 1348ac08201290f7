/**
 * A set of ids (token `jti`s, RFC 9068 §2.2) each remembered until its own expiry: the one
 * mechanism behind the AS's record of revoked tokens and the RS's copy of it. An entry is worth
 * keeping only until the token would have expired anyway, after which the token is refused as
 * expired.
 *
 * Expiry is O(1) amortised: entries are dropped from the front of the Map (insertion order) once
 * expired, stopping at the first live one. Tokens of one server live about the same time, so
 * insertion order is close to expiry order; an entry behind a live one waits at most the longest
 * token lifetime longer, and `has` of an expired id is false either way.
 */
export type IdSetAddition = 'added' | 'known' | 'full';

export class ExpiringIdSet {
  /** id -> its expiry, ms. */
  readonly #entries = new Map<string, number>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(now: () => number, maxEntries = Number.POSITIVE_INFINITY) {
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  /** `known`: already there, or expired already (nothing to remember); `full`: not added, at `maxEntries`. */
  add(id: string, expiresAtMs: number): IdSetAddition {
    this.#forgetExpired();
    if (expiresAtMs <= this.#now() || this.#entries.has(id)) return 'known';
    if (this.#entries.size >= this.#maxEntries) return 'full';
    this.#entries.set(id, expiresAtMs);
    return 'added';
  }

  /** True when `id` was added and has not expired since. */
  has(id: string): boolean {
    const expiresAtMs = this.#entries.get(id);
    return expiresAtMs !== undefined && this.#now() < expiresAtMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [id, expiresAtMs] of this.#entries) {
      if (now < expiresAtMs) break;
      this.#entries.delete(id);
    }
  }
}
