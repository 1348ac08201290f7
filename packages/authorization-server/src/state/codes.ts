/**
 * Authorization codes: short-lived, single use, bound to what was authorized, and bounded.
 *
 * - RFC 6749 §4.1.2: "The authorization code MUST expire shortly after it is issued" and "The
 *   client MUST NOT use the authorization code more than once. If an authorization code is used
 *   more than once, the authorization server MUST deny the request and SHOULD revoke (when
 *   possible) all tokens previously issued based on that authorization code."
 * - OAuth 2.1 §4.1.3: the code is bound to the client, the redirect URI and the PKCE challenge;
 *   RFC 8707 §2 adds the resource, RFC 6749 §3.3 the scope.
 *
 * Two stores, each in expiry order because every entry in it has the same lifetime:
 * - `pending` (an ExpiringStore, expiring-store.ts): issued, not yet redeemed; lives
 *   `codeTtlSeconds`. Bounded in total and per client
 *   (`maxPendingCodes`, `maxPendingCodesPerClient`): a full store refuses to issue (the
 *   authorization endpoint answers `temporarily_unavailable`), it never grows. Open registration
 *   and auto-approved loopback consent mean anyone can ask for codes; without the bound, a loop of
 *   requests would grow the heap until the process dies.
 * - `redeemed`: a small record (client, issued token ids, refresh family) kept for the replay
 *   window, so a second use is recognised and revokes what the first one issued. Bounded too; when
 *   full the oldest record goes, and a replay of that code is then refused as unknown (still
 *   denied, RFC 6749 §4.1.2's MUST; only the SHOULD-revoke is lost, for the oldest code only).
 *
 * Expiry is O(1) amortised: each sweep drops entries from the front of a Map and stops at the
 * first live one. Nothing ever walks every code. An expired code is gone like one never issued:
 * its redemption is refused as unknown.
 */
import { randomBytes } from 'node:crypto';
import { ExpiringStore } from './expiring-store.ts';
import type { RevocableToken } from './revoked-tokens.ts';

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
  /** The client's metadata lists the refresh_token grant: redeeming the code starts a refresh token family. */
  refresh: boolean;
}

/** What a redeemed code produced, remembered so that a replay can revoke it. */
export interface CodeProducts {
  /** Access tokens issued from the code: jti and expiry (ms). */
  tokens: RevocableToken[];
  /** The refresh token family the code started, if any (refresh-tokens.ts). */
  family?: string;
}

export type Redemption =
  | { outcome: 'redeemed'; grant: AuthorizationGrant }
  | { outcome: 'unknown' }
  /** The code was presented before: what its first use produced, for the caller to revoke. */
  | { outcome: 'replayed'; client_id: string; products: CodeProducts };

export type Issuance = { issued: true; code: string } | { issued: false; reason: 'store_full' | 'client_full'; limit: number };

interface RedeemedCode {
  client_id: string;
  forgetAtMs: number;
  products: CodeProducts;
}

export interface CodeStoreOptions {
  now: () => number;
  codeTtlSeconds: number;
  /** How long a used code is remembered, so a replay is recognised: the access token lifetime. */
  replayWindowSeconds: number;
  /** Most unredeemed codes at once, all clients together. */
  maxPendingCodes: number;
  /** Most unredeemed codes at once for one client_id. */
  maxPendingCodesPerClient: number;
  /** Most redeemed codes remembered for replay detection. */
  maxRedeemedCodes: number;
}

export class CodeStore {
  /** Issued codes, each owned by its client_id (the per-client bound). */
  readonly #pending: ExpiringStore<AuthorizationGrant>;
  readonly #redeemed = new Map<string, RedeemedCode>();
  readonly #options: CodeStoreOptions;

  constructor(options: CodeStoreOptions) {
    this.#options = options;
    this.#pending = new ExpiringStore({
      now: options.now,
      ttlMs: options.codeTtlSeconds * 1000,
      maxEntries: options.maxPendingCodes,
      maxPerOwner: options.maxPendingCodesPerClient,
    });
  }

  /** Issues a fresh code for `grant` (256 random bits, base64url, RFC 6749 §10.10), if the bounds allow. */
  issue(grant: AuthorizationGrant): Issuance {
    this.#forgetRedeemed();
    const code = randomBytes(32).toString('base64url');
    const refusal = this.#pending.add(code, grant, grant.client_id);
    if (refusal === 'store-full') return { issued: false, reason: 'store_full', limit: this.#options.maxPendingCodes };
    if (refusal === 'owner-full') return { issued: false, reason: 'client_full', limit: this.#options.maxPendingCodesPerClient };
    return { issued: true, code };
  }

  /**
   * Consumes `code`. The first attempt uses it up, whatever happens next (a wrong verifier
   * included): single use means a single attempt. A later attempt is a replay (RFC 6749 §4.1.2).
   */
  redeem(code: string): Redemption {
    this.#forgetRedeemed();
    const used = this.#redeemed.get(code);
    if (used) return { outcome: 'replayed', client_id: used.client_id, products: used.products };
    // RFC 6749 §4.1.2: "The authorization code MUST expire shortly after it is issued": the store
    // never answers an expired one.
    const grant = this.#pending.get(code);
    if (!grant) return { outcome: 'unknown' };
    this.#pending.delete(code);

    if (this.#redeemed.size >= this.#options.maxRedeemedCodes) this.#dropOldestRedeemed();
    this.#redeemed.set(code, {
      client_id: grant.client_id,
      forgetAtMs: this.#options.now() + this.#options.replayWindowSeconds * 1000,
      products: { tokens: [] },
    });
    return { outcome: 'redeemed', grant };
  }

  /** Remembers what a redeemed `code` produced, so a replay can revoke it. */
  recordProducts(code: string, products: { token?: RevocableToken; family?: string }): void {
    const record = this.#redeemed.get(code);
    if (!record) return;
    if (products.token) record.products.tokens.push(products.token);
    if (products.family !== undefined) record.products.family = products.family;
  }

  /** Sizes, for tests and the benchmark. */
  get sizes(): { pending: number; redeemed: number; clients: number } {
    this.#forgetRedeemed();
    return { pending: this.#pending.size, redeemed: this.#redeemed.size, clients: this.#pending.owners };
  }

  #dropOldestRedeemed(): void {
    const oldest = this.#redeemed.keys().next();
    if (!oldest.done) this.#redeemed.delete(oldest.value);
  }

  /** Drops redeemed records past the replay window from the front, stopping at the first live one. */
  #forgetRedeemed(): void {
    const now = this.#options.now();
    for (const [code, record] of this.#redeemed) {
      if (now < record.forgetAtMs) break;
      this.#redeemed.delete(code);
    }
  }
}
