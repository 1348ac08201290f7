/**
 * The cache of validated Client ID Metadata Documents.
 *
 * - CIMD draft -01 §4.4: the AS "SHOULD respect HTTP cache headers [RFC9111] when caching client
 *   metadata, but MAY define its own upper and/or lower bounds on an acceptable cache lifetime".
 * - CIMD draft -01 §4.4: "The authorization server MUST NOT cache error responses ... MUST NOT
 *   cache documents which are invalid or malformed." This module only ever receives documents
 *   that passed validation; the caller (client-id-metadata-document.ts) guarantees it.
 *
 * Only `no-store`, `no-cache` and `max-age` of RFC 9111 §5.2.2 are read: `Expires`, `Age` and
 * revalidation are not implemented (a stale entry is simply fetched again).
 */

export interface CacheBounds {
  /** Lifetime when the response says nothing about caching, in seconds. */
  defaultSeconds: number;
  /** Upper bound on any lifetime, in seconds (a client cannot pin itself for a year). */
  maxSeconds: number;
  /** Most documents kept at once; the oldest is dropped first (bounds memory under abuse). */
  maxEntries: number;
}

/**
 * How long a validated document may be reused, from its `Cache-Control` header (RFC 9111 §5.2.2):
 * `no-store` or `no-cache` => 0 (never reused); `max-age=N` => N clamped to [0, maxSeconds];
 * absent => `defaultSeconds`.
 */
export function cacheLifetimeSeconds(cacheControl: string | null, bounds: CacheBounds): number {
  if (cacheControl === null) return Math.min(bounds.defaultSeconds, bounds.maxSeconds);
  const directives = cacheControl.split(',').map((part) => part.trim().toLowerCase());
  // RFC 9111 §5.2.2.5 no-store; §5.2.2.4 no-cache (reuse only after revalidation, which we don't do).
  if (directives.some((d) => d === 'no-store' || d === 'no-cache' || d.startsWith('no-cache='))) return 0;
  const maxAge = directives.find((d) => d.startsWith('max-age='));
  if (maxAge === undefined) return Math.min(bounds.defaultSeconds, bounds.maxSeconds);
  const seconds = Number.parseInt(maxAge.slice('max-age='.length).replace(/^"|"$/g, ''), 10);
  if (!Number.isFinite(seconds) || seconds < 0) return 0;
  return Math.min(seconds, bounds.maxSeconds);
}

interface Entry<T> {
  value: T;
  storedAtMs: number;
  lifetimeSeconds: number;
}

export interface CacheHit<T> {
  value: T;
  ageSeconds: number;
}

/** A small in-memory cache with per-entry lifetimes, read against an injectable clock. */
export class DocumentCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(now: () => number, maxEntries: number) {
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  /** The fresh entry for `key`, or `undefined` (a stale entry is dropped). */
  get(key: string): CacheHit<T> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const ageMs = this.#now() - entry.storedAtMs;
    if (ageMs >= entry.lifetimeSeconds * 1000) {
      this.#entries.delete(key);
      return undefined;
    }
    return { value: entry.value, ageSeconds: Math.floor(ageMs / 1000) };
  }

  /** Stores a VALIDATED document; a lifetime of 0 stores nothing. */
  set(key: string, value: T, lifetimeSeconds: number): void {
    this.#entries.delete(key);
    if (lifetimeSeconds <= 0) return;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, storedAtMs: this.#now(), lifetimeSeconds });
  }

  /** Forgets `key` (a refetch that failed must not leave an older copy in use). */
  delete(key: string): void {
    this.#entries.delete(key);
  }
}
