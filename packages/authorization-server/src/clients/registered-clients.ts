/**
 * The clients registered through Dynamic Client Registration (RFC 7591), as this AS keeps them.
 *
 * DEMO STORE: in memory, per app instance, bounded. A restart forgets every client (an MCP
 * client then sees `invalid_client` and registers again). Registration is open (RFC 7591 §3.1:
 * the endpoint "SHOULD allow registration requests with no authorization"), so without a bound
 * anyone could fill memory; §3.1 allows such requests to be "limited to prevent a
 * denial-of-service attack".
 *
 * When the store is full, a recently active client is NEVER evicted (a flood of anonymous
 * registrations must not push out the user's real client). Two Maps, each in the order its
 * entries become evictable, so every decision is O(1):
 * - `unused`: registered, never used at /authorize, in registration order. Evictable once older
 *   than `unusedGraceSeconds` (a real client registers in order to authorize right away).
 * - `used`: used at least once, least recently used first (a use moves the client to the end).
 *   Evictable once idle for `idleSeconds`.
 * If neither front entry is evictable, the registration is refused (dynamic-client-registration.ts
 * answers 503 `temporarily_unavailable`), and nothing is evicted.
 *
 * Identifiers: 128 random bits, base64url, behind a `dcr_` prefix. RFC 7591 §3.2.1: a client_id
 * "SHOULD NOT be currently valid for any other registered client". They never start with
 * "https://" or "http://", so a registered id can never be mistaken for a Client ID Metadata
 * Document URL (CIMD §6.9): resolve-client.ts tells the two apart by that prefix alone.
 */
import { randomBytes } from 'node:crypto';

/** What the AS registered for a client: the metadata it answered with (RFC 7591 §3.2.1). */
export interface RegisteredClient {
  client_id: string;
  /** RFC 7591 §3.2.1: "Time at which the client identifier was issued", in seconds since the epoch. */
  client_id_issued_at: number;
  client_name?: string;
  redirect_uris: string[];
  /** Public clients only: this AS issues no secrets. */
  token_endpoint_auth_method: 'none';
  /** authorization_code, and refresh_token when the client asked for it. */
  grant_types: ['authorization_code'] | ['authorization_code', 'refresh_token'];
  response_types: ['code'];
  /** The scopes the client said it will ask for (RFC 7591 §2); kept and returned, see dynamic-client-registration.ts. */
  scope?: string;
}

/** The metadata a registration asks for, once checked; the store adds the id and the time. */
export type ClientRegistration = Omit<RegisteredClient, 'client_id' | 'client_id_issued_at'>;

/** A new identifier: never URL-shaped, and not guessable (so one client cannot use another's). */
export function newClientId(): string {
  return `dcr_${randomBytes(16).toString('base64url')}`;
}

interface Entry {
  client: RegisteredClient;
  /** Registration time, or the last use at /authorize (ms). */
  activeAtMs: number;
}

export interface RegisteredClientsOptions {
  /** Most clients kept at once. */
  maxClients: number;
  /** A never-used registration older than this may be evicted to make room. */
  unusedGraceSeconds: number;
  /** A used client idle for longer than this may be evicted to make room. */
  idleSeconds: number;
  /** Clock in milliseconds. */
  now: () => number;
}

export type Registration =
  | { registered: true; client: RegisteredClient; evicted?: { client_id: string; why: 'unused' | 'idle' } }
  | { registered: false; limit: number };

export class RegisteredClients {
  readonly #unused = new Map<string, Entry>();
  readonly #used = new Map<string, Entry>();
  readonly #options: RegisteredClientsOptions;

  constructor(options: RegisteredClientsOptions) {
    this.#options = options;
  }

  /** Stores a registration under a fresh id, making room if an evictable client exists; else refuses. */
  register(registration: ClientRegistration): Registration {
    const now = this.#options.now();
    let evicted: { client_id: string; why: 'unused' | 'idle' } | undefined;
    if (this.size >= this.#options.maxClients) {
      evicted = this.#evictOne(now);
      if (!evicted) return { registered: false, limit: this.#options.maxClients };
    }
    let client_id = newClientId();
    while (this.get(client_id)) client_id = newClientId(); // 2^-128; cheap to rule out anyway
    const client: RegisteredClient = { client_id, client_id_issued_at: Math.floor(now / 1000), ...registration };
    this.#unused.set(client_id, { client, activeAtMs: now });
    return { registered: true, client, ...(evicted ? { evicted } : {}) };
  }

  /** The client, without counting as a use. */
  get(clientId: string): RegisteredClient | undefined {
    return (this.#used.get(clientId) ?? this.#unused.get(clientId))?.client;
  }

  /** The client, recording a use (an authorization request): it moves to the back of the eviction order. */
  use(clientId: string): RegisteredClient | undefined {
    const entry = this.#used.get(clientId) ?? this.#unused.get(clientId);
    if (!entry) return undefined;
    this.#unused.delete(clientId);
    this.#used.delete(clientId);
    entry.activeAtMs = this.#options.now();
    this.#used.set(clientId, entry);
    return entry.client;
  }

  get size(): number {
    return this.#unused.size + this.#used.size;
  }

  /** Evicts the oldest stale unused registration, else the longest-idle used client; never a recent one. */
  #evictOne(now: number): { client_id: string; why: 'unused' | 'idle' } | undefined {
    const unused = this.#unused.entries().next();
    if (!unused.done && now - unused.value[1].activeAtMs >= this.#options.unusedGraceSeconds * 1000) {
      this.#unused.delete(unused.value[0]);
      return { client_id: unused.value[0], why: 'unused' };
    }
    const used = this.#used.entries().next();
    if (!used.done && now - used.value[1].activeAtMs >= this.#options.idleSeconds * 1000) {
      this.#used.delete(used.value[0]);
      return { client_id: used.value[0], why: 'idle' };
    }
    return undefined;
  }
}
