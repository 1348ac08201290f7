/**
 * The revocation events endpoint: where a resource server subscribes to revocation SETs and
 * catches up on the ones it missed (docs/revocation.md). The lab's own endpoint, advertised as
 * `revocation_events_endpoint` in the metadata (RFC 8414 §2 allows extension members); the SETs
 * it hands out are RFC 8417 SETs, the same the transmitter pushes (RFC 8935).
 *
 *   readFormBody -> authenticateResourceServer -> checkDeliveryUrl -> readCursor -> subscribe -> catch up
 *
 * - POST, form-encoded, authenticated exactly as introspection is (RFC 7662 §2.1: the resource
 *   server's client credentials, HTTP Basic): only a registered resource server subscribes.
 * - `delivery_url` (optional): where SETs are pushed (RFC 8935 §2). It must be on the origin of
 *   the caller's own resource, one of the resources this AS issues tokens for: the AS never
 *   pushes anywhere else (no request forgery through a subscription).
 * - `epoch` and `cursor` (optional): the last log entry the caller holds. The answer carries
 *   the SETs after it; when `epoch` is not this run's (the AS restarted, or a first call), all
 *   live entries. `{ epoch, cursor, sets }`; `Cache-Control: no-store` (it names revoked tokens).
 * - Each call renews the subscription: a resource server calls it periodically, which is also
 *   how it knows that its channel is live, and how it re-subscribes after an AS restart.
 */
import { OAuthError } from '@mcp-auth-demo/common';
import type { Emit } from '@mcp-auth-demo/trace';
import type { Context } from 'hono';
import type { ResolvedConfig } from '../config.ts';
import { readFormBody, singleParameter } from '../request-rules.ts';
import type { RevocationLog } from '../state/revocation-log.ts';
import type { SecurityEventTransmitter } from './security-event-transmitter.ts';
import { authenticateResourceServer } from './token-introspection.ts';

export type RevocationEventsConfig = Pick<ResolvedConfig, 'introspectionClients' | 'issuer'>;

export interface RevocationEventsDependencies {
  config: RevocationEventsConfig;
  log: RevocationLog;
  transmitter: SecurityEventTransmitter;
  emit: Emit;
}

/** The delivery URL, on the origin of the caller's resource, or `invalid_request`. */
function checkDeliveryUrl(value: string | undefined, resource: string): string | undefined {
  if (value === undefined) return undefined;
  // The AS pushes only to the resource servers it issues tokens for: their own origin, nothing else.
  if (!URL.canParse(value) || new URL(value).origin !== new URL(resource).origin || value.includes('#')) {
    throw new OAuthError('invalid_request', `delivery_url must be an absolute URL on the origin of ${resource}.`);
  }
  return value;
}

function readCursor(params: URLSearchParams, epoch: string): number {
  const given = singleParameter(params, 'cursor') ?? '0';
  if (!/^(0|[1-9][0-9]{0,15})$/.test(given)) throw new OAuthError('invalid_request', 'cursor must be a non-negative integer.');
  // Another epoch's cursor means nothing in this log: start from the beginning.
  return singleParameter(params, 'epoch') === epoch ? Number(given) : 0;
}

export function createRevocationEventsHandler({ config, log, transmitter, emit }: RevocationEventsDependencies) {
  return async function revocationEvents(c: Context): Promise<Response> {
    const params = await readFormBody(c, 'The revocation events request must be application/x-www-form-urlencoded.');
    // RFC 7662 §2.1 (the same credentials): "the endpoint MUST also require some form of authorization".
    const caller = authenticateResourceServer(c, config);
    const delivery_url = checkDeliveryUrl(singleParameter(params, 'delivery_url'), caller.resource);
    const fresh = singleParameter(params, 'epoch') !== log.epoch;
    const cursor = readCursor(params, log.epoch);
    const subscription = { client_id: caller.client_id, resource: caller.resource, ...(delivery_url ? { delivery_url } : {}) };
    transmitter.subscribe(subscription);
    // Read together, before any await: an entry appended meanwhile is pushed, and caught up next time.
    // Only the caller's own revoked tokens (their aud is its resource), as the transmitter pushes them.
    const entries = log.after(cursor).filter((entry) => entry.aud === caller.resource);
    const upTo = log.cursor;
    const sets = await transmitter.sign(subscription, entries);
    // Traced when a subscription begins (a first call, or the first after an AS restart); the
    // periodic renewals are the channel's heartbeat and stay out of the trace, catch-ups included
    // (the resource server traces each revocation it learns of, once).
    if (fresh) {
      emit('revocation.subscribed', {
        caller: caller.client_id,
        resource: caller.resource,
        ...(delivery_url ? { delivery_url } : {}),
        epoch: log.epoch,
        cursor: upTo,
        caught_up: entries.length,
        spec: 'RFC 8935 §2 (push), RFC 8417 SETs; the lab\'s revocation log',
      });
    }
    return c.json({ epoch: log.epoch, cursor: upTo, sets });
  };
}
