/**
 * The authorization server's ONE record of revoked access tokens, by `jti` (RFC 7519 §4.1.7).
 *
 * Who writes here: a replayed authorization code revokes the tokens issued from it (RFC 6749
 * §4.1.2, codes.ts); refresh-token reuse revokes the whole family (RFC 9700 §4.14).
 * Who reads it: the token introspection endpoint (RFC 7662, token-introspection.ts), which is how
 * a resource server learns that a JWT it could verify on its own has been revoked.
 *
 * An entry is kept only until the token's own `exp`: after that, the token is refused as expired
 * everywhere anyway, so remembering its revocation would only grow the set.
 */
export class RevokedTokens {
  /** jti -> the token's expiry (ms since the epoch). */
  readonly #revoked = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Records that the token `jti` (which expires at `expiresAtMs`) is revoked. */
  revoke(jti: string, expiresAtMs: number): void {
    this.#forgetExpired();
    this.#revoked.set(jti, expiresAtMs);
  }

  /** True when the token `jti` was revoked (and has not yet expired). */
  isRevoked(jti: string): boolean {
    return this.#revoked.has(jti);
  }

  #forgetExpired(): void {
    const now = this.now();
    for (const [jti, expiresAtMs] of this.#revoked) {
      if (now >= expiresAtMs) this.#revoked.delete(jti);
    }
  }
}
