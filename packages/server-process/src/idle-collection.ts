/**
 * A garbage collection once a busy server has gone quiet: the idle-time GC hint of issue 23.
 *
 * Why: under load V8 grows the young generation (to 2 × 16 MB of semi-space) and fills the old
 * one with garbage, and it collects only when JavaScript allocates. A server that then goes
 * quiet allocates next to nothing, so no collection comes and that memory stays committed:
 * `pnpm soak` measured the RS at 76 MB idle, ~200 MB under load and still 158 MB after 90 s of
 * idleness. Two full collections after the load (the second finishes the sweeping of the first,
 * so emptied pages are given back) bring it most of the way down; `pnpm soak` prints what is left.
 *
 * - Quiet is a rate, not silence: a server is never silent (the RS renews its revocation
 *   subscription at the AS every second, RFC 8935 push, revocation-channel.ts). Requests are
 *   counted per `QUIET_PERIOD_MS`; a period with more than `QUIET_PERIOD_MAX_REQUESTS` is busy.
 * - The collection runs once a server has been quiet for 30 s (ten periods), and once more 6 s
 *   later: V8 shrinks the young generation only at a collection that sees a low allocation rate
 *   over its last 5 s, which the first one does not (the RS kept 2 × 16 MB of semi-space without
 *   it). A server that stays idle (or only renews) is never collected here, one under steady load
 *   never either, and a new load earns new collections.
 * - Why 30 s and not at once: a collection gives back the heap a load had grown, so the next burst
 *   runs on a small heap and pays to grow it again. Collected after 3 s, a burst that came back
 *   every 7 s ran at 0.65-0.73 of the unauthenticated baseline instead of 0.95 (`pnpm bench`
 *   interleaves its arms so: it printed 0.60). A pause between bursts is not idleness; 30 s is.
 *   The cost is moved, not gone: a burst after 30 s of quiet starts on the small heap.
 * - The collector is V8's own `globalThis.gc`, present when the process runs with `--expose-gc`
 *   (the stack starts every server so: packages/stack stack.ts `serverCommand`); without it
 *   this does nothing. The timer starts with the first request and never holds the process open.
 */

/** How long one counting period lasts. */
export const QUIET_PERIOD_MS = 3_000;
/** A period with at most this many requests is quiet (the RS's renewals: about 3). */
export const QUIET_PERIOD_MAX_REQUESTS = 10;
/** The quiet periods after a busy one at whose end the collection runs (see the header). */
export const COLLECT_AFTER_QUIET_PERIODS: readonly number[] = [10, 12];

export interface IdleCollection {
  /** A request arrived. */
  requestSeen(): void;
  /** No collection any more (shutdown). */
  stop(): void;
}

/** V8's collector twice, when the process exposes it (`--expose-gc`). */
export function exposedCollector(): (() => void) | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return undefined;
  return () => {
    gc();
    gc();
  };
}

export function createIdleCollection(collect: (() => void) | undefined = exposedCollector()): IdleCollection {
  let timer: NodeJS.Timeout | undefined;
  let requests = 0;
  /** Quiet periods since the last busy one; Infinity before any busy period. */
  let quietPeriods = Infinity;
  let stopped = false;

  const endOfPeriod = () => {
    quietPeriods = requests > QUIET_PERIOD_MAX_REQUESTS ? 0 : quietPeriods + 1;
    requests = 0;
    if (COLLECT_AFTER_QUIET_PERIODS.includes(quietPeriods)) collect!();
  };

  return {
    requestSeen() {
      if (!collect || stopped) return;
      requests += 1;
      if (timer) return;
      timer = setInterval(endOfPeriod, QUIET_PERIOD_MS);
      timer.unref();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
    },
  };
}
