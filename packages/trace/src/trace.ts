/**
 * The trace: a typed stream of events that every party emits about what it did and decided.
 *
 * Apps never print. They call the `onEvent` hook from their config; the demo and the CLIs hand
 * every event to the one printer (`trace-printer.ts`). Server processes write their events to
 * stdout as JSON lines (see `formatEventLine`), so the orchestrator can merge all parties into one
 * causal story.
 *
 * Ordering across processes: `at` is read from the machine's monotonic clock
 * (`process.hrtime`, CLOCK_MONOTONIC, shared by every process on the host), in microseconds.
 * Each event is stamped before the message that it causes is sent, so sorting by `at` puts every
 * server decision between the client request that caused it and the response that followed.
 */

import type { Party } from './party.ts';
import type { ClientEvents } from './trace-events-client.ts';
import type { LabEvents } from './trace-events-lab.ts';
import type { AnyServerEvents, AuthorizationServerEvents, ResourceServerEvents } from './trace-events-servers.ts';

export { CONTRAST_NAMES, type ContrastName } from './trace-events-lab.ts';
export type { TokenClaims } from './trace-events-servers.ts';
export type { AnyServerEvents, AuthorizationServerEvents, ClientEvents, LabEvents, Party, ResourceServerEvents };


/**
 * Every event kind and its payload, by who emits it. Kinds are named `thing.outcome`.
 */
export interface TraceEventMap extends ClientEvents, AuthorizationServerEvents, ResourceServerEvents, AnyServerEvents, LabEvents {}

export type TraceKind = keyof TraceEventMap;

interface TraceEnvelope<K extends TraceKind> {
  kind: K;
  party: Party;
  /** Monotonic microseconds (see the header). */
  at: number;
  /** The spec section that requires what this event shows, e.g. "RFC 9728 §5.1". */
  spec?: string;
}

/** One event: the envelope plus the payload of its kind. A discriminated union on `kind`. */
export type TraceEvent = { [K in TraceKind]: TraceEnvelope<K> & TraceEventMap[K] }[TraceKind];

export type TraceSink = (event: TraceEvent) => void;

/** The payload a party passes to `emit`: the kind's fields, optionally a spec citation. */
export type EmitArgs<K extends TraceKind> = TraceEventMap[K] & { spec?: string };

export type Emit = <K extends TraceKind>(kind: K, payload: EmitArgs<K>) => void;

/** Microseconds on the machine-wide monotonic clock. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Binds a sink to one party, stamping `party` and `at` on every event. */
export function createEmitter(party: Party, sink: TraceSink | undefined): Emit {
  if (!sink) return () => {};
  return (kind, payload) => {
    sink({ ...payload, kind, party, at: monotonicMicros() } as unknown as TraceEvent);
  };
}

/** Marker so a reader of mixed stdout can tell trace lines from anything else a process says. */
const LINE_PREFIX = '{"trace":';

/** Serialises one event as a JSON line (server processes write these to stdout). */
export function formatEventLine(event: TraceEvent): string {
  return `${LINE_PREFIX}${JSON.stringify(event)}}\n`;
}

/** Parses a line written by `formatEventLine`; anything else gives `undefined`. */
export function parseEventLine(line: string): TraceEvent | undefined {
  if (!line.startsWith(LINE_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(line) as { trace?: TraceEvent };
    return parsed.trace && typeof parsed.trace.kind === 'string' ? parsed.trace : undefined;
  } catch {
    return undefined;
  }
}

/** Shows the first characters of a secret (token, code, verifier) and hides the rest. */
export function shorten(secret: string, keep = 8): string {
  return secret.length <= keep ? secret : `${secret.slice(0, keep)}…`;
}
