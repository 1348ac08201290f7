/**
 * `pnpm soak`: many whole journeys at once against the real servers, to show the lab holds
 * under load without failing, slowing down without bound, or growing without bound. Not part
 * of `pnpm test` (it is a measurement, and takes a while); loopback only, bounded in count.
 *
 *   pnpm soak [--journeys N] [--concurrency N] [--rounds N] [--settle S] [--warm-up N]
 *   defaults: 1,000 journeys, 100 at a time, 1 round, 45 s of settle, 20 warm-up journeys
 *
 * Each journey is the full one: discovery, authorization (CIMD, PKCE), whoami, the 403,
 * step-up, the retry. It prints the failures (there must be none; the first few are shown),
 * the 5xx answers any server gave (from the servers' own trace: there must be none), journey
 * latency p50/p95, the rate, and each server's RSS idle before, right after, and after
 * `--settle` seconds of idleness (default 45, SETTLE_SECONDS), and that last figure against
 * idle as a percentage (issue 23: within 10%), against two idles:
 *
 * - cold: right after start-up. A server has not yet loaded what it loads at first use (the
 *   MCP server's SDK layer, ~18 MB, resource-server mcp-layer.ts), nor compiled its hot paths.
 * - warm: after `--warm-up` journeys and a settle. The same code loaded and compiled, no load
 *   on it: what the load is fairly measured against. Both are printed; the note says which is which.
 */
import { clientUrls, runJourney } from '@mcp-auth-demo/client';
import type { Party } from '@mcp-auth-demo/trace';
import { freePorts, startStack, urlsForPorts } from '@mcp-auth-demo/stack';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { rssMegabytes } from './process-stats.ts';
import { percentile } from './percentile.ts';

/**
 * How long the servers sit idle after the run before their RSS is read again: long enough for
 * both idle-time collections of a server (server-process idle-collection.ts: after 30 s of quiet,
 * and 6 s later; the periods are counted in 3 s steps, so the second comes 36-39 s after the load).
 */
const SETTLE_SECONDS = 45;

/** One batch of journeys and what each server's memory did after it. */
export interface SoakRound {
  /** Journeys that failed, and 5xx answers, in this round. */
  failures: number;
  serverErrors: number;
  seconds: number;
  p50: number;
  p95: number;
  /** RSS right after the batch, and after `settleSeconds` of idleness. */
  after: Partial<Record<Party, number>>;
  settled: Partial<Record<Party, number>>;
}

export interface SoakReport {
  journeys: number;
  concurrency: number;
  /** How long the servers sat idle after each round before their RSS was read. */
  settleSeconds: number;
  failures: string[];
  /** Answers with a 5xx status, by any server, as their trace recorded them ("party status error path"). */
  serverErrors: string[];
  /** RSS idle before the first round: cold, right after start-up. */
  before: Partial<Record<Party, number>>;
  /** Journeys run before `warm` was read (0: none, and no `warm`). */
  warmUpJourneys: number;
  /** RSS idle after the warm-up journeys and `settleSeconds` of quiet. */
  warm?: Partial<Record<Party, number>>;
  /**
   * The same batch run again and again on the same servers: memory that is a plateau (caches,
   * bounded stores, the JIT) stops growing after the first round; a leak grows every round.
   */
  rounds: SoakRound[];
}

/** Journeys before the warm idle is read, and how many at once: a busy period at every server. */
const WARM_UP_JOURNEYS = 20;
const WARM_UP_CONCURRENCY = 5;

export interface SoakOptions {
  journeys: number;
  concurrency: number;
  rounds?: number;
  settleSeconds?: number;
  warmUpJourneys?: number;
}

/**
 * `pnpm soak`'s flags, bounded. The size of the run defaults here (1,000 journeys, 100 at a
 * time); a timing flag not given stays undefined, so runSoak's own default applies (a parser
 * default of its own once overrode SETTLE_SECONDS).
 */
export function parseSoakArgs(argv: string[]): SoakOptions {
  const { values } = parseArgs({ args: argv, options: { journeys: { type: 'string' }, concurrency: { type: 'string' }, rounds: { type: 'string' }, settle: { type: 'string' }, 'warm-up': { type: 'string' } } });
  const bounded = (value: string | undefined, min: number, max: number) => (value === undefined ? undefined : Math.max(min, Math.min(max, Math.floor(Number(value)) || min)));
  return {
    journeys: bounded(values.journeys, 1, 10_000) ?? 1000,
    concurrency: bounded(values.concurrency, 1, 500) ?? 100,
    rounds: bounded(values.rounds, 1, 20),
    settleSeconds: bounded(values.settle, 1, 600),
    warmUpJourneys: bounded(values['warm-up'], 0, 1000),
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const settleSeconds = options.settleSeconds ?? SETTLE_SECONDS;
  const warmUpJourneys = options.warmUpJourneys ?? WARM_UP_JOURNEYS;
  const urls = urlsForPorts(await freePorts());
  const serverErrors: string[] = [];
  const stack = startStack(
    urls,
    (event) => {
      if (event.kind === 'request.rejected' && event.status >= 500) serverErrors.push(`${event.party} ${event.status} ${event.error} ${event.method} ${event.path}`);
    },
    { bundles: true },
  );
  const rss = () => Object.fromEntries(Object.entries(stack.pids()).map(([p, pid]) => [p, rssMegabytes(pid!)])) as Partial<Record<Party, number>>;
  try {
    await stack.ready;
    await sleep(1000);
    const before = rss();
    const client = clientUrls(urls.clientBase);
    const failures: string[] = [];
    const journey = async () => {
      try {
        const result = await runJourney({
          serverUrl: urls.resource,
          registration: { clientMetadataUrl: client.clientId, redirectUri: client.redirectUri, clientName: 'soak' },
          calls: [{ name: 'whoami', arguments: {} }, { name: 'get_weather', arguments: { city: 'Oslo' } }],
        });
        if (!result.ok) failures.push(JSON.stringify(result.failure).slice(0, 300));
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    };
    /** `count` journeys, `concurrency` at a time; each one's duration. */
    const batch = async (count: number, concurrency: number) => {
      const durations: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < count) {
          next += 1;
          const t0 = performance.now();
          await journey();
          durations.push(performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
      return durations;
    };
    let warm: Partial<Record<Party, number>> | undefined;
    if (warmUpJourneys > 0) {
      await batch(warmUpJourneys, WARM_UP_CONCURRENCY);
      await sleep(settleSeconds * 1000);
      warm = rss();
    }
    const rounds: SoakRound[] = [];
    for (let round = 0; round < (options.rounds ?? 1); round++) {
      const [failedBefore, errorsBefore] = [failures.length, serverErrors.length];
      const started = performance.now();
      const durations = await batch(options.journeys, options.concurrency);
      const seconds = (performance.now() - started) / 1000;
      const after = rss();
      await sleep(settleSeconds * 1000);
      rounds.push({ failures: failures.length - failedBefore, serverErrors: serverErrors.length - errorsBefore, seconds, p50: percentile(durations, 0.5), p95: percentile(durations, 0.95), after, settled: rss() });
    }
    return { journeys: options.journeys, concurrency: options.concurrency, settleSeconds, failures, serverErrors, before, warmUpJourneys, warm, rounds };
  } finally {
    await stack.stop();
  }
}

/** `after` over `idle`, as "+12%" (or "n/a" where /proc could not be read). */
function percentOver(idle: number | undefined, after: number | undefined): string {
  if (idle === undefined || after === undefined) return 'n/a';
  const percent = ((after - idle) / idle) * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(0)}%`;
}

export function formatSoak(r: SoakReport): string {
  const mb = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);
  const parties: Party[] = ['authorization-server', 'resource-server', 'client-host'];
  const total = r.journeys * r.rounds.length;
  const seconds = r.rounds.reduce((sum, round) => sum + round.seconds, 0);
  const lastRound = r.rounds.at(-1);
  return [
    `mcp-auth-demo soak · Node ${process.version} · ${r.rounds.length} × ${r.journeys} whole journeys, ${r.concurrency} at a time, same servers · loopback only`,
    '',
    `failures      ${r.failures.length}${r.failures.length ? `  (first: ${r.failures.slice(0, 3).join(' | ')})` : ''}`,
    `5xx answers   ${r.serverErrors.length}${r.serverErrors.length ? `  (first: ${r.serverErrors.slice(0, 3).join(' | ')})` : ''}`,
    ...r.rounds.map((round, i) => `round ${i + 1}       ${round.failures} failed, ${round.serverErrors} × 5xx; p50 ${round.p50.toFixed(0)} ms   p95 ${round.p95.toFixed(0)} ms   ${(r.journeys / round.seconds).toFixed(1)} journeys/s`),
    `throughput    ${(total / seconds).toFixed(1)} journeys/s (${seconds.toFixed(1)} s in all)`,
    `RSS           idle cold${r.warm ? ` → warm (${r.warmUpJourneys} journeys)` : ''} → after each round, ${r.settleSeconds} s idle (a plateau stops growing; a leak grows every round)`,
    ...parties.map((p) => `  ${p.padEnd(22)} ${[r.before, ...(r.warm ? [r.warm] : []), ...r.rounds.map((round) => round.settled)].map((v) => mb(v[p]).padStart(7)).join(' → ')}${lastRound ? `   (right after the last: ${mb(lastRound.after[p])})` : ''}`),
    `RSS after settle vs idle (the last round)   vs cold${r.warm ? '   vs warm' : ''}`,
    ...parties.map((p) => `  ${p.padEnd(22)} ${percentOver(r.before[p], lastRound?.settled[p]).padStart(18)}${r.warm ? percentOver(r.warm[p], lastRound?.settled[p]).padStart(10) : ''}`),
    '',
  ].join('\n');
}
