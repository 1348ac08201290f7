/**
 * Streams a trace that arrives from several processes to one output, step by step.
 *
 * Server events reach the orchestrator through pipes, a little after the client events they sit
 * between. Each server writes an event to its pipe before it answers the request that caused it,
 * so when a client step ends, every event of that step is already in a pipe. The writer waits
 * one turn of the event loop (so those pipes are read), then prints the step's events in causal
 * order (`at`). Nothing is printed out of order, and nothing is waited for by a fixed sleep.
 */
import { formatEventLine, type TraceEvent } from './trace.ts';
import { formatTrace, sortEvents, type TraceDetail } from './trace-printer.ts';

export interface TraceWriterOptions {
  write: (text: string) => void;
  color: boolean;
  /** Write raw events as JSON lines (for tools and tests) instead of the human trace. */
  json?: boolean;
  /** Print every event as soon as it arrives (a server-only live trace). */
  live?: boolean;
  /** `lesson` (default) or `verbose`, see trace-printer.ts. */
  detail?: TraceDetail;
}

export interface TraceWriter {
  push(event: TraceEvent): void;
  /** Prints everything still buffered; await it before exiting. */
  flush(): Promise<void>;
}

const STEP_BOUNDARIES = new Set(['journey.started', 'step.finished', 'journey.succeeded', 'journey.failed', 'scenario.finished']);

export function createTraceWriter(options: TraceWriterOptions): TraceWriter {
  let pending: TraceEvent[] = [];
  /** Everything printed so far, in causal order: the lesson's recap looks back over the run. */
  const history: TraceEvent[] = [];

  const output = (events: TraceEvent[]) => {
    if (events.length === 0) return;
    if (options.json) {
      options.write(sortEvents(events).map((e) => formatEventLine(e)).join(''));
    } else {
      const sorted = sortEvents(events);
      history.push(...sorted);
      const text = formatTrace(sorted, { color: options.color, detail: options.detail ?? (options.live ? 'verbose' : 'lesson'), history });
      if (text.length > 0) options.write(`${text}\n`);
    }
  };

  const flushUpTo = (at: number) => {
    const ready = pending.filter((e) => e.at <= at);
    pending = pending.filter((e) => e.at > at);
    output(ready);
  };

  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    push(event) {
      if (options.live) return output([event]);
      pending.push(event);
      if (STEP_BOUNDARIES.has(event.kind)) void nextTurn().then(() => flushUpTo(event.at));
    },
    async flush() {
      await nextTurn();
      flushUpTo(Number.POSITIVE_INFINITY);
    },
  };
}
