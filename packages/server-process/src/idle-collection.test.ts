/**
 * The idle-time collection (idle-collection.ts): after 30 s and 36 s of quiet following a busy period;
 * never for a server that stays idle or only sees a trickle (the RS's renewals), never while a
 * load goes on, never after stop. Fake timers: what is asserted is when the collection is asked
 * for, not how long anything takes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COLLECT_AFTER_QUIET_PERIODS, createIdleCollection, exposedCollector, QUIET_PERIOD_MAX_REQUESTS, QUIET_PERIOD_MS, type IdleCollection } from './idle-collection.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function counted() {
  const collections = { count: 0 };
  return { collections, idle: createIdleCollection(() => (collections.count += 1)) };
}

/** One period with `requests` requests in it. */
function period(idle: IdleCollection, requests: number) {
  for (let i = 0; i < requests; i++) idle.requestSeen();
  vi.advanceTimersByTime(QUIET_PERIOD_MS);
}

/** `n` periods with a trickle in each (3 requests: about the RS's renewals). */
function quiet(idle: IdleCollection, n: number) {
  for (let i = 0; i < n; i++) period(idle, 3);
}

const BUSY = QUIET_PERIOD_MAX_REQUESTS + 1;

describe('createIdleCollection', () => {
  it('never collects in a server that has had no request, or only a trickle', () => {
    const { collections, idle } = counted();
    vi.advanceTimersByTime(10 * QUIET_PERIOD_MS);
    for (let i = 0; i < 20; i++) period(idle, QUIET_PERIOD_MAX_REQUESTS);
    expect(collections.count).toBe(0);
  });

  it('does not collect while a load goes on; after ten quiet periods (30 s) and twelve, and not again while quiet', () => {
    expect(COLLECT_AFTER_QUIET_PERIODS).toEqual([10, 12]);
    const { collections, idle } = counted();
    for (let i = 0; i < 10; i++) period(idle, 100);
    quiet(idle, 9);
    expect(collections.count).toBe(0);
    quiet(idle, 1);
    expect(collections.count).toBe(1);
    quiet(idle, 1);
    expect(collections.count).toBe(1);
    quiet(idle, 1);
    expect(collections.count).toBe(2);
    quiet(idle, 20);
    expect(collections.count).toBe(2);
  });

  it('a period just over the bound is busy, one at it is quiet', () => {
    const { collections, idle } = counted();
    period(idle, BUSY);
    for (let i = 0; i < 9; i++) period(idle, QUIET_PERIOD_MAX_REQUESTS);
    expect(collections.count).toBe(0);
    period(idle, QUIET_PERIOD_MAX_REQUESTS);
    expect(collections.count).toBe(1);
  });

  it('a pause between bursts is not idleness: a load that comes back within 30 s starts the count again', () => {
    const { collections, idle } = counted();
    period(idle, BUSY);
    quiet(idle, 5);
    period(idle, BUSY);
    quiet(idle, 9);
    expect(collections.count).toBe(0);
    quiet(idle, 1);
    expect(collections.count).toBe(1);
  });

  it('after stop, nothing is collected', () => {
    const { collections, idle } = counted();
    idle.requestSeen();
    for (let i = 0; i < BUSY; i++) idle.requestSeen();
    idle.stop();
    period(idle, BUSY);
    vi.advanceTimersByTime(10 * QUIET_PERIOD_MS);
    expect(collections.count).toBe(0);
  });
});

describe('exposedCollector', () => {
  it("is V8's gc, twice, when the process exposes it (--expose-gc), and nothing otherwise", () => {
    vi.stubGlobal('gc', undefined);
    expect(exposedCollector()).toBeUndefined();
    const gc = vi.fn();
    vi.stubGlobal('gc', gc);
    exposedCollector()!();
    expect(gc).toHaveBeenCalledTimes(2);
  });

  it('without a collector, requests start no timer', () => {
    const idle = createIdleCollection(undefined);
    idle.requestSeen();
    expect(vi.getTimerCount()).toBe(0);
  });
});
