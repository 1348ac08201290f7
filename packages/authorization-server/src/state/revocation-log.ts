/**
 * The revocation log: every access-token revocation of this AS run, in order, so a resource
 * server can catch up from where it stopped (issue 27; docs/revocation.md).
 *
 * - `epoch`: a random name for this run of the AS. The log lives in memory, so an AS that
 *   restarts starts a new log; a resource server that sees a new epoch knows its cursor means
 *   nothing here any more and asks for the whole log again.
 * - `seq`: 1, 2, 3, ... within an epoch; a resource server's cursor is the last `seq` it holds.
 * - An entry is kept until the revoked token would have expired anyway (as revoked-tokens.ts
 *   keeps it): after that the token is refused for its `exp`, and its revocation says nothing.
 *   So the log is bounded by the revocations of one access-token lifetime.
 */
import { randomBytes } from 'node:crypto';

export interface RevocationEntry {
  /** Position in this epoch's log, from 1. */
  seq: number;
  /** The revoked access token's `jti` (RFC 9068 §2.2). */
  jti: string;
  /** When the revoked token expires, milliseconds since the epoch. */
  expiresAtMs: number;
  /** The revoked token's audience: the one resource server told of it (security-event-transmitter.ts). */
  aud: string;
}

export class RevocationLog {
  /** This AS run's name (128 random bits, base64url). */
  readonly epoch = randomBytes(16).toString('base64url');
  readonly #entries: RevocationEntry[] = [];
  readonly #listeners: ((entry: RevocationEntry) => void)[] = [];
  readonly #now: () => number;
  #seq = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The `seq` of the newest entry (0 before the first revocation). */
  get cursor(): number {
    return this.#seq;
  }

  /** Appends a revocation and tells every listener (the SET transmitter). */
  append(jti: string, expiresAtMs: number, aud: string): RevocationEntry {
    this.#forgetExpired();
    this.#seq += 1;
    const entry = { seq: this.#seq, jti, expiresAtMs, aud };
    this.#entries.push(entry);
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  /** The live entries after `cursor` (all of them for cursor 0), oldest first. */
  after(cursor: number): RevocationEntry[] {
    this.#forgetExpired();
    return this.#entries.filter((entry) => entry.seq > cursor);
  }

  onAppend(listener: (entry: RevocationEntry) => void): void {
    this.#listeners.push(listener);
  }

  get size(): number {
    return this.#entries.length;
  }

  #forgetExpired(): void {
    const now = this.#now();
    // Close to expiry order (see revoked-tokens.ts); an entry behind a live one waits a little longer.
    while (this.#entries.length > 0 && this.#entries[0]!.expiresAtMs <= now) this.#entries.shift();
  }
}
