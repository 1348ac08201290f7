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
 * An entry is kept only until the token would have expired anyway: the set is common's
 * ExpiringIdSet (expiry O(1) amortised), the resource server's copy too (revoked-token-ids.ts).
 */
import { ExpiringIdSet } from '@mcp-auth-demo/common';

/** What a revocation needs of an issued access token: its `jti`, expiry (ms) and audience (RFC 9068 §2.2). */
export interface RevocableToken {
  jti: string;
  expiresAtMs: number;
  aud: string;
}

export class RevokedTokens {
  readonly #revoked: ExpiringIdSet;
  readonly #onRevoked: ((jti: string, expiresAtMs: number, aud: string) => void) | undefined;

  /** `onRevoked` hears each new revocation once (the revocation log, revocation-log.ts). */
  constructor(now: () => number, onRevoked?: (jti: string, expiresAtMs: number, aud: string) => void) {
    this.#revoked = new ExpiringIdSet(now);
    this.#onRevoked = onRevoked;
  }

  /** Records that the token `jti`, valid until `expiresAtMs` and issued for `aud`, must no longer be accepted. */
  revoke(jti: string, expiresAtMs: number, aud: string): void {
    if (this.#revoked.add(jti, expiresAtMs) === 'added') this.#onRevoked?.(jti, expiresAtMs, aud);
  }

  /** True when the token `jti` was revoked (and has not expired since). */
  isRevoked(jti: string): boolean {
    return this.#revoked.has(jti);
  }

  /** How many revocations are remembered (tests, the benchmark). */
  get size(): number {
    return this.#revoked.size;
  }
}
