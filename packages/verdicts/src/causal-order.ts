/**
 * Events from three processes reach `pnpm serve` through three pipes, so they can arrive out
 * of the order they happened in (the RS's 403 after the AS heard the step-up it caused). The
 * grader needs causal order; every event carries `at`, read from the machine-wide monotonic
 * clock before the message it causes was sent (trace/src/trace.ts). So: hold each event for a
 * short window, then hand events on sorted by `at`. A pipe is never slower than the window
 * unless the machine stalls; the window only delays the cards, never the live trace.
 */
import { monotonicMicros, type TraceEvent } from '@mcp-auth-demo/trace';

export interface CausalOrder {
  push(event: TraceEvent): void;
  /** Hands on everything still held (on exit). */
  drain(): void;
}

export function inCausalOrder(deliver: (event: TraceEvent) => void, windowMs = 150): CausalOrder {
  let held: TraceEvent[] = [];
  let timer: NodeJS.Timeout | undefined;

  const release = (upTo: number) => {
    const ready = held.filter((e) => e.at <= upTo).sort((a, b) => a.at - b.at);
    held = held.filter((e) => e.at > upTo);
    for (const event of ready) deliver(event);
  };
  const schedule = () => {
    if (timer || held.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      release(monotonicMicros() - windowMs * 1000);
      schedule();
    }, windowMs);
    timer.unref();
  };

  return {
    push(event) {
      held.push(event);
      schedule();
    },
    drain() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      release(Number.POSITIVE_INFINITY);
    },
  };
}
