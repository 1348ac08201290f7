/**
 * The access tokens this authorization server has revoked, by `jti` (RFC 9068 §2.2): the one
 * record that every revocation writes and that every reader asks.
 *
 * Writers: a replayed authorization code revokes what it issued (RFC 6749 §4.1.2); a reused
 * refresh token revokes its whole family, access tokens included (RFC 9700 §4.14.2).
 * Readers: `app.isRevoked(jti)`, and the RFC 7662 introspection endpoint (`active: false`).
 *
 * Interface (kept to two calls on purpose): `revoke(jti, expiresAtMs, aud)` and `isRevoked(jti)`;
 * `aud` is the token's audience, so a revocation is told only to that resource server (revocation-log.ts).
 * An entry is worth keeping only until the token would have expired anyway, so each carries the
 * token's `exp`; entries are dropped from the front of the Map (insertion order) once expired,
 * stopping at the first live one: O(1) amortised. Access tokens live `accessTokenTtlSeconds` (or
 * a resource's own, shorter or longer, lifetime), so insertion order is close to expiry order; an
 * entry behind a live one waits at most the longest token lifetime longer, and `isRevoked` of an expired token is harmless (it is refused anyway).
 */

/** What a revocation needs of an issued access token: its `jti`, expiry (ms) and audience (RFC 9068 §2.2). */
export interface RevocableToken {
  jti: string;
  expiresAtMs: number;
  aud: string;
}

export class RevokedTokens {
  /** jti -> the token's expiry (ms). */
  readonly #revoked = new Map<string, number>();
  readonly #now: () => number;
  readonly #onRevoked: ((jti: string, expiresAtMs: number, aud: string) => void) | undefined;

  /** `onRevoked` hears each new revocation once (the revocation log, revocation-log.ts). */
  constructor(now: () => number, onRevoked?: (jti: string, expiresAtMs: number, aud: string) => void) {
    this.#now = now;
    this.#onRevoked = onRevoked;
  }

  /** Records that the token `jti`, valid until `expiresAtMs` and issued for `aud`, must no longer be accepted. */
  revoke(jti: string, expiresAtMs: number, aud: string): void {
    this.#forgetExpired();
    if (expiresAtMs <= this.#now() || this.#revoked.has(jti)) return;
    this.#revoked.set(jti, expiresAtMs);
    this.#onRevoked?.(jti, expiresAtMs, aud);
  }

  /** True when the token `jti` was revoked (and has not expired since). */
  isRevoked(jti: string): boolean {
    const expiresAtMs = this.#revoked.get(jti);
    return expiresAtMs !== undefined && this.#now() < expiresAtMs;
  }

  /** How many revocations are remembered (tests, the benchmark). */
  get size(): number {
    return this.#revoked.size;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [jti, expiresAtMs] of this.#revoked) {
      if (now < expiresAtMs) break;
      this.#revoked.delete(jti);
    }
  }
}
