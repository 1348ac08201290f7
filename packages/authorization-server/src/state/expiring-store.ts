/**
 * A bounded store of short-lived entries, for state that an unauthenticated request can create
 * (pending authorization requests, sign-in sessions, remembered grants). Anyone on the web can
 * make a user's browser send such requests to a local AS, so every store that grows on request
 * has a lifetime, a total cap and a per-owner cap, and refuses (never evicts) when full.
 *
 * Expiry is O(1) amortised: every entry lives the same `ttlMs`, so the Map's insertion order is
 * expiry order, and a sweep stops at the first live entry instead of scanning the whole store.
 */

export interface ExpiringStoreOptions {
  /** Clock in milliseconds. */
  now: () => number;
  /** How long an entry lives from the moment it is added. */
  ttlMs: number;
  /** Most entries at once. */
  maxEntries: number;
  /** Most entries per owner (e.g. per client_id) at once; defaults to `maxEntries`. */
  maxPerOwner?: number;
}

interface Entry<V> {
  value: V;
  owner: string;
  expiresAtMs: number;
}

/** Why `add` refused: the whole store or this owner's share is full. */
export type Refusal = 'store-full' | 'owner-full';

export class ExpiringStore<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #perOwner = new Map<string, number>();
  readonly #options: Required<ExpiringStoreOptions>;

  constructor(options: ExpiringStoreOptions) {
    this.#options = { maxPerOwner: options.maxEntries, ...options };
  }

  get size(): number {
    this.#sweep();
    return this.#entries.size;
  }

  /** How many owners hold live entries. */
  get owners(): number {
    this.#sweep();
    return this.#perOwner.size;
  }

  /** Adds `value` under a fresh `key`; returns the refusal instead when a cap is reached. */
  add(key: string, value: V, owner = ''): Refusal | undefined {
    this.#sweep();
    // Re-adding a key moves it to the end, so insertion order stays expiry order.
    this.delete(key);
    if (this.#entries.size >= this.#options.maxEntries) return 'store-full';
    if ((this.#perOwner.get(owner) ?? 0) >= this.#options.maxPerOwner) return 'owner-full';
    this.#entries.set(key, { value, owner, expiresAtMs: this.#options.now() + this.#options.ttlMs });
    this.#perOwner.set(owner, (this.#perOwner.get(owner) ?? 0) + 1);
    return undefined;
  }

  /** The live value under `key`, or `undefined` (never an expired one). */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#options.now() >= entry.expiresAtMs) {
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    const count = (this.#perOwner.get(entry.owner) ?? 1) - 1;
    if (count === 0) this.#perOwner.delete(entry.owner);
    else this.#perOwner.set(entry.owner, count);
  }

  /** Drops expired entries from the front; stops at the first live one (insertion = expiry order). */
  #sweep(): void {
    const now = this.#options.now();
    for (const [key, entry] of this.#entries) {
      if (now < entry.expiresAtMs) return;
      this.delete(key);
    }
  }
}
