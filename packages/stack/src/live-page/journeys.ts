/**
 * The live page's journeys: the servers' events of `pnpm serve`, sorted into one growing record
 * per client (its `client_id`), so each client's picture is drawn from its own events only.
 *
 * Attribution follows the grader's (packages/verdicts grader.ts), so a picture and the card
 * beside it speak of the same requests:
 * - an event that names a client (`client_id`, a token's `client_id` claim, the metadata document
 *   served at a `client_id` URL) is that client's;
 * - discovery carries no identity (PRM, AS metadata, the 401 challenge to a request without a
 *   token): it waits, and goes to the client whose authorization request comes next. With one
 *   client at a time, as a developer testing theirs, that is exact;
 * - anything else without an identity (the RS fetching keys, a tool invoked, a 405) follows the
 *   client last named by the same server, else the client last named at all.
 *
 * Bounded, because any web page can send made-up client_ids to the AS: at most MAX_LIVE_CLIENTS
 * records (the one quiet longest goes first), each keeping its latest MAX_EVENTS_PER_CLIENT events.
 */
import type { Party, TraceEvent } from '@mcp-auth-demo/trace';

export const MAX_LIVE_CLIENTS = 20;
export const MAX_EVENTS_PER_CLIENT = 2_000;
/** Discovery waiting for a client: at most this many events (the oldest go first). */
const MAX_PENDING = 50;

export interface LiveJourney {
  /** A short id for the page (`c1`, `c2`, …): never the client_id, which is attacker-controlled text. */
  key: string;
  client_id: string;
  events: TraceEvent[];
  /** Events dropped from the start to stay within MAX_EVENTS_PER_CLIENT. */
  dropped: number;
  /** Grows with every event: the page redraws a picture only when it changed. */
  version: number;
}

export interface LiveJourneys {
  /** Feed every servers' event, in causal order; true when a journey changed. */
  push(event: TraceEvent): boolean;
  /** The journeys, oldest client first. */
  list(): LiveJourney[];
}

/** Background and set-up events, drawn on no client's picture. */
const NOBODY = new Set<TraceEvent['kind']>([
  'server.listening', 'revocation.subscribed', 'security_event.pushed', 'security_event.received',
  'revocation_channel.live', 'revocation_channel.lost',
]);

/** The client an event names, if it names one. */
function namedClient(event: TraceEvent): string | undefined {
  if (event.kind === 'cimd.served') return event.url;
  const fields = event as { client_id?: unknown; claims?: { client_id?: unknown } };
  if (typeof fields.client_id === 'string') return fields.client_id;
  if (typeof fields.claims?.client_id === 'string') return fields.claims.client_id;
  return undefined;
}

/** Discovery: requests that carry no identity and come before a client's authorization. */
function isDiscovery(event: TraceEvent): boolean {
  return event.kind === 'prm.served' || event.kind === 'as_metadata.served' ||
    (event.kind === 'request.rejected' && event.party === 'resource-server' && event.status === 401 && event.client_id === undefined);
}

export function createLiveJourneys(limits = { clients: MAX_LIVE_CLIENTS, events: MAX_EVENTS_PER_CLIENT }): LiveJourneys {
  const journeys = new Map<string, LiveJourney & { lastSeen: number }>();
  const lastNamedBy = new Map<Party, string>();
  let lastNamed: string | undefined;
  let pending: TraceEvent[] = [];
  let keys = 0;
  let clock = 0;

  const journey = (clientId: string) => {
    let found = journeys.get(clientId);
    if (!found) {
      if (journeys.size >= limits.clients) {
        const quietest = [...journeys.values()].reduce((a, b) => (b.lastSeen < a.lastSeen ? b : a));
        journeys.delete(quietest.client_id);
      }
      found = { key: `c${++keys}`, client_id: clientId, events: [], dropped: 0, version: 0, lastSeen: 0 };
      journeys.set(clientId, found);
    }
    return found;
  };

  const add = (clientId: string, ...events: TraceEvent[]) => {
    const j = journey(clientId);
    j.events.push(...events);
    const over = j.events.length - limits.events;
    if (over > 0) {
      j.events.splice(0, over);
      j.dropped += over;
    }
    j.version += events.length;
    j.lastSeen = ++clock;
  };

  function push(event: TraceEvent): boolean {
    if (NOBODY.has(event.kind)) return false;
    const named = namedClient(event);
    if (named !== undefined) {
      // The discovery that waited is this client's: its authorization request came next.
      const waited = event.kind === 'authorization.received' ? pending : [];
      if (waited.length > 0) pending = [];
      add(named, ...waited, event);
      lastNamedBy.set(event.party, named);
      lastNamed = named;
      return true;
    }
    const follows = isDiscovery(event) ? undefined : lastNamedBy.get(event.party) ?? lastNamed;
    if (follows !== undefined && journeys.has(follows)) {
      add(follows, event);
      return true;
    }
    pending.push(event);
    if (pending.length > MAX_PENDING) pending.shift();
    return false;
  }

  return {
    push,
    list: () => [...journeys.values()],
  };
}
