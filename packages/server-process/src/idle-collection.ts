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
 * - The collection runs at the end of the first quiet period after a busy one, and once more at
 *   the end of the third: V8 shrinks the young generation only at a collection that sees a low
 *   allocation rate over its last 5 s, which the first one, right after the load, does not (the
 *   RS kept 2 × 16 MB of semi-space without it). A server that stays idle (or only renews) is
 *   never collected here, and one under steady load never either, so throughput pays nothing;
 *   a new load earns new collections.
 * - The collector is V8's own `globalThis.gc`, present when the process runs with `--expose-gc`
 *   (the stack starts every server so: packages/stack stack.ts `serverCommand`); without it
 *   this does nothing. The timer starts with the first request and never holds the process open.
 */

/** How long one counting period lasts. */
export const QUIET_PERIOD_MS = 3_000;
/** A period with at most this many requests is quiet (the RS's renewals: about 3). */
export const QUIET_PERIOD_MAX_REQUESTS = 10;
/** The quiet periods after a busy one at whose end the collection runs (see the header). */
export const COLLECT_AFTER_QUIET_PERIODS: readonly number[] = [1, 3];

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
