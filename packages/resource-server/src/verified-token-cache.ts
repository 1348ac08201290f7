/**
 * A bounded cache of access tokens that passed the local checks of verify-access-token.ts
 * (signature, `alg`, `typ`, `iss`, `aud`, `exp`/`nbf`, required claims), one per resource server
 * app: a client sends the same token with every request, and re-verifying an RS256 signature
 * each time is most of what authentication costs.
 *
 * What it may and may not skip:
 * - It spares only that local work, for the very same token string. It never skips revocation:
 *   the introspection check (RFC 7662) runs after it on every request.
 * - An entry lives at most `VERIFIED_TOKEN_MAX_AGE_MS` (60 s) and never past the token's `exp`
 *   (without the clock leeway verification allows: RFC 9068 §4, "The current time MUST be before
 *   the time represented by the "exp" claim").
 * - It is emptied whenever the authorization server's JWK Set is fetched again: a key that was
 *   withdrawn must stop vouching for the tokens it signed (RFC 9068 §4: "MUST use the keys
 *   provided by the authorization server").
 * - It holds at most `VERIFIED_TOKEN_CACHE_MAX_ENTRIES`; the oldest entry goes first (a Map's
 *   insertion order), so a flood of distinct tokens costs bounded memory.
 */
import type { VerifiedAccessToken } from './token-profile.ts';

export const VERIFIED_TOKEN_CACHE_MAX_ENTRIES = 1_000;
export const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;

/** What checks 1-8 established about a token: its claims and its scopes. */
type CheckedToken = Pick<VerifiedAccessToken, 'claims' | 'scopes'>;

export interface VerifiedTokenCacheOptions {
  /** Milliseconds since the epoch; the same clock verification uses. */
  now: () => number;
  /** Changes whenever the JWK Set was fetched again (`AuthorizationServerKeys.version`). */
  keysVersion: () => number;
  maxEntries?: number;
  maxAgeMs?: number;
}

export interface VerifiedTokenCache {
  /** What was checked about a token verified before, if it is still cached and valid. */
  get(token: string): CheckedToken | undefined;
  /** Remembers a token that has just passed every local check. */
  set(token: string, checked: CheckedToken): void;
  readonly size: number;
}

export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions): VerifiedTokenCache {
  const maxEntries = options.maxEntries ?? VERIFIED_TOKEN_CACHE_MAX_ENTRIES;
  const maxAgeMs = options.maxAgeMs ?? VERIFIED_TOKEN_MAX_AGE_MS;
  const entries = new Map<string, { checked: CheckedToken; expiresAt: number }>();
  let keysVersion = options.keysVersion();

  /** A new JWK Set: nothing verified with the old one is trusted from memory any more. */
  function dropIfKeysChanged(): void {
    const current = options.keysVersion();
    if (current === keysVersion) return;
    entries.clear();
    keysVersion = current;
  }

  return {
    get(token) {
      dropIfKeysChanged();
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      if (options.now() >= entry.expiresAt) {
        entries.delete(token);
        return undefined;
      }
      return entry.checked;
    },
    set(token, checked) {
      dropIfKeysChanged();
      const now = options.now();
      const expiresAt = Math.min(checked.claims.exp * 1000, now + maxAgeMs);
      if (expiresAt <= now) return;
      entries.delete(token);
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(token, { checked, expiresAt });
    },
    get size() {
      return entries.size;
    },
  };
}
