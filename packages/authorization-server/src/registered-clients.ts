/**
 * The clients registered through Dynamic Client Registration (RFC 7591), as this AS keeps them.
 *
 * DEMO STORE: in memory, per app instance, bounded. A restart forgets every client (an MCP
 * client then sees `invalid_client` and registers again), and when the store is full the oldest
 * registration is evicted. Registration is open (RFC 7591 §3.1: the endpoint "SHOULD allow
 * registration requests with no authorization"), so without a bound anyone could fill memory;
 * §3.1 allows such requests to be "limited to prevent a denial-of-service attack".
 *
 * Identifiers: 128 random bits, base64url, behind a `dcr_` prefix. RFC 7591 §3.2.1: a client_id
 * "SHOULD NOT be currently valid for any other registered client". They never start with
 * "https://" or "http://", so a registered id can never be mistaken for a Client ID Metadata
 * Document URL (CIMD §6.9): clients.ts tells the two apart by that prefix alone.
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
  grant_types: ['authorization_code'];
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

export class RegisteredClients {
  // A Map iterates in insertion order, so its first key is always the oldest registration.
  private readonly clients = new Map<string, RegisteredClient>();

  constructor(
    private readonly options: {
      /** Most clients kept at once; registering one more evicts the oldest. */
      maxClients: number;
      /** Clock in milliseconds, for `client_id_issued_at`. */
      now: () => number;
    },
  ) {}

  /** Stores a registration under a fresh id and returns the full record. */
  register(registration: ClientRegistration): { client: RegisteredClient; evicted?: string } {
    let client_id = newClientId();
    while (this.clients.has(client_id)) client_id = newClientId(); // 2^-128; cheap to rule out anyway
    const client: RegisteredClient = {
      client_id,
      client_id_issued_at: Math.floor(this.options.now() / 1000),
      ...registration,
    };
    let evicted: string | undefined;
    if (this.clients.size >= this.options.maxClients) {
      evicted = this.clients.keys().next().value;
      if (evicted !== undefined) this.clients.delete(evicted);
    }
    this.clients.set(client_id, client);
    return { client, ...(evicted !== undefined ? { evicted } : {}) };
  }

  get(clientId: string): RegisteredClient | undefined {
    return this.clients.get(clientId);
  }

  get size(): number {
    return this.clients.size;
  }
}
