/**
 * The grader: reads the lab's trace as it happens and keeps one record per client_id; at each
 * moment a client's authorization completes or fails, it produces that client's card, and
 * what changed since its last card (a step-up, say).
 *
 * It runs in the orchestrator (`pnpm serve`), not in the servers: the servers only emit the
 * events they emit anyway, plus a few observations of what they received. Attribution:
 * - AS and RS events that name a client (`authorization.received`, `token.issued`,
 *   `scope.insufficient`, `token.accepted`, …) go to that client;
 * - discovery requests (PRM, AS metadata) and the first 401 challenge carry no client identity:
 *   they are credited to the next client that sends an authorization request. With one client
 *   at a time, as in a developer testing theirs, that is exact; the evidence says "before".
 * - step-up is judged per session, not per client_id: sessions.ts ties each 403, refresh and
 *   authorization to one grant chain, and says what is approximate.
 * At most MAX_GRADED_CLIENTS records are kept (client-record.ts says which one goes first).
 * `tick()` re-judges the clients waiting on a 403 against the clock (step-up-reauthorizes: a
 * warn once REAUTHORIZE_WITHIN_MS passed without an authorization request); `pnpm serve` calls it
 * every second. The clock is injected (the trace's monotonic microseconds by default).
 */
import { monotonicMicros, type TraceEvent } from '@mcp-auth-demo/trace';
import { diffCards, type Card, type CardChange } from './checks.ts';
import { evictionCandidate, MAX_GRADED_CLIENTS, newClientRecord, type ClientRecord, type Discovery } from './client-record.ts';
import { evaluate, type GradingContext } from './evaluate.ts';
import { onAuthorization, onInsufficient, onRefreshRequested, onTokenIssued, onTokenRefreshed } from './sessions.ts';

export interface CardUpdate {
  card: Card;
  /** Empty on a client's first card. */
  changes: CardChange[];
  first: boolean;
}

export interface Grader {
  /** Feed every trace event, in causal order; returns the cards to print now. */
  observe(event: TraceEvent): CardUpdate[];
  cards(): Card[];
  /** The cards that the clock alone changed since they were last printed (a 403 left unanswered). */
  tick(): CardUpdate[];
  /** True once after any client's record changed (to rewrite a report file). */
  takeChanged(): boolean;
}

const CHALLENGE_SCOPE = /scope="([^"]*)"/;

/** Kinds that, when they name a known client, change what its card says. */
const CLIENT_KINDS = new Set<TraceEvent['kind']>([
  'authorization.received', 'token.requested', 'token.refreshed', 'token.accepted', 'scope.insufficient', 'cimd.validated', 'cimd.rejected', 'client.registered',
]);

export interface GraderOptions {
  /** Now, in the microseconds of the events' `at` (default: the trace's monotonic clock). */
  clock?: () => number;
}

export function createGrader(context: GradingContext, { clock = monotonicMicros }: GraderOptions = {}): Grader {
  const clients = new Map<string, ClientRecord>();
  const lastCard = new Map<string, Card>();
  let pending: Discovery = {};
  /** The `at` of the latest 401 without a token the MCP server sent: a fresh session begins with one. */
  let lastChallengeAt = Number.NEGATIVE_INFINITY;
  let changed = false;

  const record = (clientId: string) => {
    let found = clients.get(clientId);
    if (!found) {
      // Bounded: any web page can send /authorize with made-up client_ids (client-record.ts).
      const evicted = clients.size >= MAX_GRADED_CLIENTS ? evictionCandidate(clients.values()) : undefined;
      if (evicted) {
        clients.delete(evicted.client_id);
        lastCard.delete(evicted.client_id);
      }
      found = newClientRecord(clientId);
      clients.set(clientId, found);
    }
    return found;
  };

  const cardMoment = (client: ClientRecord): CardUpdate[] => {
    const card = evaluate(client, context, clock());
    const before = lastCard.get(client.client_id);
    lastCard.set(client.client_id, card);
    return [{ card, changes: diffCards(before, card), first: before === undefined }];
  };

  const ifChanged = (client: ClientRecord): CardUpdate[] => {
    const before = lastCard.get(client.client_id);
    const card = evaluate(client, context, clock());
    return before && diffCards(before, card).length === 0 ? [] : cardMoment(client);
  };

  function observe(event: TraceEvent): CardUpdate[] {
    const sizeBefore = clients.size;
    const updates = route(event);
    // Every kind below that names a known client changes its record.
    if (updates.length > 0 || clients.size !== sizeBefore || CLIENT_KINDS.has(event.kind)) changed = true;
    return updates;
  }

  function route(event: TraceEvent): CardUpdate[] {
    switch (event.kind) {
      case 'prm.served':
        pending.prmPath = event.path;
        return [];
      case 'as_metadata.served':
        pending.asMetadataPath = event.path;
        return [];
      case 'request.rejected': {
        if (event.party === 'resource-server' && event.status === 401 && event.error === '(no error code)') {
          if (event.contrast) return []; // a pnpm client --grade probe: no client's discovery
          pending.challengeScope = CHALLENGE_SCOPE.exec(event.www_authenticate ?? '')?.[1];
          lastChallengeAt = event.at;
          return [];
        }
        if (event.party !== 'authorization-server' || !event.client_id) return [];
        const client = record(event.client_id);
        // The lab client's declared attack in its own name (a contrast): not its mistake.
        (event.contrast ? client.contrasts : client.rejections).push(event);
        return cardMoment(client);
      }
      case 'authorization.received': {
        const client = record(event.client_id);
        if (event.contrast) return []; // the lab client's declared attack: not one of its authorizations
        if (client.authorizations.length === 0) {
          client.discovery = pending;
          pending = {};
        }
        onAuthorization(client, event, lastChallengeAt);
        return [];
      }
      case 'cimd.validated':
        record(event.client_id).client_name = event.client_name;
        return [];
      case 'cimd.rejected': {
        const client = record(event.client_id);
        client.registration = { method: 'cimd', rejected: event.reason };
        return [];
      }
      case 'client.registered': {
        const client = record(event.client_id);
        client.registration = { method: 'dcr' };
        if (event.client_name) client.client_name = event.client_name;
        return [];
      }
      case 'token.requested': {
        if (!event.client_id) return [];
        const client = record(event.client_id);
        const params = { grant_type: event.grant_type, ...event.params };
        client.tokenRequests.push(params);
        if (event.grant_type === 'refresh_token') onRefreshRequested(client, params);
        return [];
      }
      case 'token.issued': {
        const client = record(event.client_id);
        client.held = (event.claims.scope ?? '').split(' ').filter(Boolean);
        onTokenIssued(client, event);
        return cardMoment(client);
      }
      case 'token.refreshed': {
        const client = clients.get(event.client_id);
        if (!client) return [];
        onTokenRefreshed(client, event);
        // A card only if the refresh changed it (one answering a 403: step-up-no-refresh).
        return ifChanged(client);
      }
      case 'token.accepted': {
        const clientId = event.claims.client_id;
        if (!clientId || !clients.has(clientId)) return [];
        const client = record(clientId);
        client.bearer.accepted += 1;
        client.audience.accepted += 1;
        return [];
      }
      case 'token.rejected': {
        // A declared attack (a contrast, a pnpm client --grade probe): shown, never graded.
        if (event.contrast) return [];
        const client = event.client_id ? clients.get(event.client_id) : undefined;
        if (!client || !/aud/i.test(event.reason) || client.audience.rejected) return [];
        client.audience.rejected = `${event.reason}: its aud is ${event.aud ?? '(none)'}, not ${context.resource}`;
        return cardMoment(client);
      }
      case 'token.misplaced': {
        if (event.contrast) return [];
        const client = event.client_id ? clients.get(event.client_id) : undefined;
        if (!client || client.bearer.misplaced) return [];
        client.bearer.misplaced = event.via;
        return cardMoment(client);
      }
      case 'scope.insufficient': {
        const client = event.client_id ? clients.get(event.client_id) : undefined;
        if (client) onInsufficient(client, event);
        return [];
      }
      default:
        return [];
    }
  }

  return {
    observe,
    cards: () => [...clients.values()].map((c) => evaluate(c, context, clock())),
    tick: () => {
      const verdict = (card: Card | undefined) => card?.checks.find((c) => c.id === 'step-up-reauthorizes')?.verdict;
      const waiting = [...clients.values()].filter((c) => lastCard.has(c.client_id) && c.insufficient.some((i) => i.reauthorized === undefined));
      const updates = waiting
        .filter((c) => verdict(evaluate(c, context, clock())) !== verdict(lastCard.get(c.client_id)))
        .flatMap(cardMoment);
      if (updates.length > 0) changed = true;
      return updates;
    },
    takeChanged: () => {
      const was = changed;
      changed = false;
      return was;
    },
  };
}
