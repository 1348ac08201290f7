/**
 * Authorization codes: short-lived, single use, bound to what was authorized; and the list of
 * access tokens revoked because their code was replayed.
 *
 * - RFC 6749 §4.1.2: "The authorization code MUST expire shortly after it is issued" and "The
 *   client MUST NOT use the authorization code more than once. If an authorization code is used
 *   more than once, the authorization server MUST deny the request and SHOULD revoke (when
 *   possible) all tokens previously issued based on that authorization code."
 * - OAuth 2.1 §4.1.3: the code is bound to the client, the redirect URI and the PKCE challenge;
 *   RFC 8707 §2 adds the resource, RFC 6749 §3.3 the scope.
 *
 * A replay writes the revoked `jti`s into the AS's one revoked-token store (revoked-tokens.ts),
 * which the RFC 7662 introspection endpoint reads: that is how the resource server refuses them.
 */
import { randomBytes } from 'node:crypto';
import type { RevokedTokens } from './revoked-tokens.ts';

/** Everything a code stands for; the token request must match it. */
export interface AuthorizationGrant {
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  /** Space-separated granted scopes. */
  scope: string;
  /** The canonical resource URI (RFC 8707), the future token's `aud`. */
  resource: string;
  sub: string;
}

export type Redemption =
  | { outcome: 'redeemed'; grant: AuthorizationGrant }
  | { outcome: 'unknown' }
  | { outcome: 'expired' }
  /** The code was presented before: `revoked` lists the token ids revoked because of it. */
  | { outcome: 'replayed'; grant: AuthorizationGrant; revoked: string[] };

interface CodeRecord {
  grant: AuthorizationGrant;
  expiresAtMs: number;
  /** Set on the first redemption attempt: a code gets exactly one. */
  used: boolean;
  /** Access tokens issued from this code: jti and expiry (ms). */
  tokens: { jti: string; expiresAtMs: number }[];
}

export interface CodeStoreOptions {
  now: () => number;
  codeTtlSeconds: number;
  /** How long a used code is remembered, so a replay is recognised: the access token lifetime. */
  replayWindowSeconds: number;
  /** Where a replay records the tokens it revokes: the AS's one store, which introspection reads. */
  revoked: RevokedTokens;
}

export class CodeStore {
  readonly #codes = new Map<string, CodeRecord>();
  readonly #revoked: RevokedTokens;
  readonly #options: CodeStoreOptions;

  constructor(options: CodeStoreOptions) {
    this.#options = options;
    this.#revoked = options.revoked;
  }

  /** Issues a fresh code for `grant`: 256 random bits, base64url (RFC 6749 §10.10). */
  issue(grant: AuthorizationGrant): string {
    this.#forgetOld();
    const code = randomBytes(32).toString('base64url');
    const expiresAtMs = this.#options.now() + this.#options.codeTtlSeconds * 1000;
    this.#codes.set(code, { grant, expiresAtMs, used: false, tokens: [] });
    return code;
  }

  /**
   * Consumes `code`. The first attempt uses it up, whatever happens next (a wrong verifier
   * included): single use means a single attempt. A later attempt is a replay and revokes every
   * token the code produced (RFC 6749 §4.1.2).
   */
  redeem(code: string): Redemption {
    const record = this.#codes.get(code);
    if (!record) return { outcome: 'unknown' };
    if (record.used) {
      const revoked = record.tokens.map(({ jti, expiresAtMs }) => {
        this.#revoked.revoke(jti, expiresAtMs);
        return jti;
      });
      return { outcome: 'replayed', grant: record.grant, revoked };
    }
    // RFC 6749 §4.1.2: "The authorization code MUST expire shortly after it is issued".
    if (this.#options.now() >= record.expiresAtMs) {
      this.#codes.delete(code);
      return { outcome: 'expired' };
    }
    record.used = true;
    return { outcome: 'redeemed', grant: record.grant };
  }

  /** Remembers that `code` produced the token `jti`, so a replay can revoke it. */
  recordToken(code: string, jti: string, expiresAtMs: number): void {
    this.#codes.get(code)?.tokens.push({ jti, expiresAtMs });
  }

  /** Drops codes past their replay window. */
  #forgetOld(): void {
    const now = this.#options.now();
    const windowMs = this.#options.replayWindowSeconds * 1000;
    for (const [code, record] of this.#codes) {
      if (now >= record.expiresAtMs + windowMs) this.#codes.delete(code);
    }
  }
}
