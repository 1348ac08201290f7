/**
 * The AS as a transmitter of revocation Security Event Tokens (RFC 8417), pushed to each
 * subscribed resource server by RFC 8935 (docs/revocation.md).
 *
 * - Who receives: only a resource server that authenticated with its introspection credentials
 *   (revocation-events.ts) and named a delivery URL on the origin of its own resource, one of the
 *   resources this AS issues tokens for. Each SET's `aud` is that resource. A resource server
 *   hears only of revoked tokens issued for it (the token's `aud`): no other learns their `jti`.
 * - RFC 8935 §2: one SET per POST, `Content-Type: application/secevent+jwt`, `Accept:
 *   application/json`; §2.2: the receiver answers 202 Accepted; §2.3: 400 with `{err, description}`.
 * - A push that fails (no answer, not 202) is traced and not retried here: the resource server's
 *   next subscription request catches up from its cursor (RFC 8935 §2.1 leaves retries to the
 *   transmitter; our log makes them unnecessary), and until then it relies on introspection.
 */
import { SECURITY_EVENT_MEDIA_TYPE } from '@mcp-auth-demo/common';
import type { Emit } from '@mcp-auth-demo/trace';
import type { RevocationEntry, RevocationLog } from '../state/revocation-log.ts';
import type { SigningKey } from '../tokens/keys.ts';
import { signRevocationEvent } from '../tokens/security-event-token.ts';

/** How long one push may take before it counts as failed. */
export const SET_PUSH_TIMEOUT_MS = 2_000;

export interface Subscription {
  /** The resource server's client_id at this AS (its introspection client). */
  client_id: string;
  /** Its canonical resource URI: the `aud` of its SETs. */
  resource: string;
  /** Where its SETs are pushed (RFC 8935 §2); absent: it only catches up. */
  delivery_url?: string;
}

export interface TransmitterOptions {
  issuer: string;
  log: RevocationLog;
  signingKey: Promise<SigningKey>;
  fetch: typeof fetch;
  now: () => number;
  emit: Emit;
}

export class SecurityEventTransmitter {
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #options: TransmitterOptions;

  constructor(options: TransmitterOptions) {
    this.#options = options;
    options.log.onAppend((entry) => {
      for (const subscription of this.#subscriptions.values()) {
        // RFC 8417 §2.2 aud: a SET is for its recipient; the revoked token's audience is the only one told.
        if (subscription.resource === entry.aud) this.#track(this.#push(subscription, entry));
      }
    });
  }

  /** Records (or replaces) a resource server's subscription. */
  subscribe(subscription: Subscription): void {
    this.#subscriptions.set(subscription.client_id, { ...subscription });
  }

  /** The SETs of `entries`, for one subscriber (the catch-up answer). */
  async sign(subscription: Subscription, entries: RevocationEntry[]): Promise<string[]> {
    // Nothing to catch up on (every first subscription): answer without waiting for the key,
    // which may still be being generated (serve.ts), so a resource server is live at once.
    if (entries.length === 0) return [];
    const key = await this.#options.signingKey;
    return Promise.all(entries.map((entry) => this.#signFor(key, subscription, entry)));
  }

  /** Resolves when every push started so far has finished (tests, the benchmark). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #signFor(key: SigningKey, subscription: Subscription, entry: RevocationEntry): Promise<string> {
    const { issuer, log, now } = this.#options;
    return signRevocationEvent(key, { issuer, audience: subscription.resource, epoch: log.epoch, entry, now });
  }

  #track(push: Promise<void>): void {
    this.#inFlight.add(push);
    void push.finally(() => this.#inFlight.delete(push));
  }

  async #push(subscription: Subscription, entry: RevocationEntry): Promise<void> {
    const { delivery_url } = subscription;
    if (!delivery_url) return;
    const { emit } = this.#options;
    const set = await this.#signFor(await this.#options.signingKey, subscription, entry);
    let status: number | 'no answer' = 'no answer';
    try {
      // RFC 8935 §2: "The SET is transmitted in the body of an HTTP POST request".
      const response = await this.#options.fetch(delivery_url, {
        method: 'POST',
        headers: { 'content-type': SECURITY_EVENT_MEDIA_TYPE, accept: 'application/json' },
        body: set,
        signal: AbortSignal.timeout(SET_PUSH_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch {
      // No answer: the resource server's next subscription request catches up (see the header).
    }
    emit('security_event.pushed', {
      to: subscription.resource,
      jti: entry.jti,
      seq: entry.seq,
      status,
      // RFC 8935 §2.2: "the SET Recipient MUST respond with HTTP Response Status Code 202".
      delivered: status === 202,
      spec: 'RFC 8935 §2 (push delivery of a SET, RFC 8417)',
    });
  }
}
