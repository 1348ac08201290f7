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
 * Two Maps, each in expiry order because every entry in it has the same lifetime:
 * - `pending`: issued, not yet redeemed; lives `codeTtlSeconds`. Bounded in total and per client
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
 * first live one. Nothing ever walks every code.
 */
import { randomBytes } from 'node:crypto';

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
  tokens: { jti: string; expiresAtMs: number }[];
  /** The refresh token family the code started, if any (refresh-tokens.ts). */
  family?: string;
}

export type Redemption =
  | { outcome: 'redeemed'; grant: AuthorizationGrant }
  | { outcome: 'unknown' }
  | { outcome: 'expired' }
  /** The code was presented before: what its first use produced, for the caller to revoke. */
  | { outcome: 'replayed'; client_id: string; products: CodeProducts };

export type Issuance = { issued: true; code: string } | { issued: false; reason: 'store_full' | 'client_full'; limit: number };

interface PendingCode {
  grant: AuthorizationGrant;
  expiresAtMs: number;
}

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
  readonly #pending = new Map<string, PendingCode>();
  /** client_id -> how many of its codes are pending. */
  readonly #pendingPerClient = new Map<string, number>();
  readonly #redeemed = new Map<string, RedeemedCode>();
  readonly #options: CodeStoreOptions;

  constructor(options: CodeStoreOptions) {
    this.#options = options;
  }

  /** Issues a fresh code for `grant` (256 random bits, base64url, RFC 6749 §10.10), if the bounds allow. */
  issue(grant: AuthorizationGrant): Issuance {
    this.#forgetExpired();
    const { maxPendingCodes, maxPendingCodesPerClient } = this.#options;
    if (this.#pending.size >= maxPendingCodes) return { issued: false, reason: 'store_full', limit: maxPendingCodes };
    const forClient = this.#pendingPerClient.get(grant.client_id) ?? 0;
    if (forClient >= maxPendingCodesPerClient) return { issued: false, reason: 'client_full', limit: maxPendingCodesPerClient };

    const code = randomBytes(32).toString('base64url');
    this.#pending.set(code, { grant, expiresAtMs: this.#options.now() + this.#options.codeTtlSeconds * 1000 });
    this.#pendingPerClient.set(grant.client_id, forClient + 1);
    return { issued: true, code };
  }

  /**
   * Consumes `code`. The first attempt uses it up, whatever happens next (a wrong verifier
   * included): single use means a single attempt. A later attempt is a replay (RFC 6749 §4.1.2).
   */
  redeem(code: string): Redemption {
    this.#forgetExpired();
    const used = this.#redeemed.get(code);
    if (used) return { outcome: 'replayed', client_id: used.client_id, products: used.products };
    const pending = this.#pending.get(code);
    if (!pending) return { outcome: 'unknown' };
    this.#dropPending(code, pending);
    // RFC 6749 §4.1.2: "The authorization code MUST expire shortly after it is issued".
    if (this.#options.now() >= pending.expiresAtMs) return { outcome: 'expired' };

    if (this.#redeemed.size >= this.#options.maxRedeemedCodes) this.#dropOldestRedeemed();
    this.#redeemed.set(code, {
      client_id: pending.grant.client_id,
      forgetAtMs: this.#options.now() + this.#options.replayWindowSeconds * 1000,
      products: { tokens: [] },
    });
    return { outcome: 'redeemed', grant: pending.grant };
  }

  /** Remembers what a redeemed `code` produced, so a replay can revoke it. */
  recordProducts(code: string, products: { token?: { jti: string; expiresAtMs: number }; family?: string }): void {
    const record = this.#redeemed.get(code);
    if (!record) return;
    if (products.token) record.products.tokens.push(products.token);
    if (products.family !== undefined) record.products.family = products.family;
  }

  /** Sizes, for tests and the benchmark. */
  get sizes(): { pending: number; redeemed: number; clients: number } {
    return { pending: this.#pending.size, redeemed: this.#redeemed.size, clients: this.#pendingPerClient.size };
  }

  #dropPending(code: string, record: PendingCode): void {
    this.#pending.delete(code);
    const clientId = record.grant.client_id;
    const left = (this.#pendingPerClient.get(clientId) ?? 1) - 1;
    if (left > 0) this.#pendingPerClient.set(clientId, left);
    else this.#pendingPerClient.delete(clientId);
  }

  #dropOldestRedeemed(): void {
    const oldest = this.#redeemed.keys().next();
    if (!oldest.done) this.#redeemed.delete(oldest.value);
  }

  /** Drops expired codes from the front of each Map, stopping at the first live one (O(1) amortised). */
  #forgetExpired(): void {
    const now = this.#options.now();
    for (const [code, record] of this.#pending) {
      if (now < record.expiresAtMs) break;
      this.#dropPending(code, record);
    }
    for (const [code, record] of this.#redeemed) {
      if (now < record.forgetAtMs) break;
      this.#redeemed.delete(code);
    }
  }
}
