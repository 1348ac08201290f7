/**
 * `pnpm soak`: many whole journeys at once against the real servers, to show the lab holds
 * under load without failing, slowing down without bound, or growing without bound. Not part
 * of `pnpm test` (it is a measurement, and takes a while); loopback only, bounded in count.
 *
 *   pnpm soak [--journeys N] [--concurrency N]     defaults: 1,000 journeys, 100 at a time
 *
 * Each journey is the full one: discovery, authorization (CIMD, PKCE), whoami, the 403,
 * step-up, the retry. It prints the failures (there must be none; the first few are shown),
 * the 5xx answers any server gave (from the servers' own trace: there must be none), journey
 * latency p50/p95, the rate, and each server's RSS idle before, right after, and after
 * `SETTLE_MS` of idleness (what "back to idle" is measured against).
 */
import { clientUrls, runJourney } from '@mcp-auth-demo/client';
import type { Party } from '@mcp-auth-demo/trace';
import { freePorts, startStack, urlsForPorts } from '@mcp-auth-demo/stack';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssMegabytes } from './process-stats.ts';

/** How long the servers sit idle after the run before their RSS is read again. */
const SETTLE_MS = 10_000;

export interface SoakReport {
  journeys: number;
  concurrency: number;
  failures: string[];
  /** Answers with a 5xx status, by any server, as their trace recorded them. */
  serverErrors: number;
  seconds: number;
  p50: number;
  p95: number;
  rss: { before: Partial<Record<Party, number>>; after: Partial<Record<Party, number>>; settled: Partial<Record<Party, number>> };
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

export async function runSoak(options: { journeys: number; concurrency: number }): Promise<SoakReport> {
  const urls = urlsForPorts(await freePorts());
  let serverErrors = 0;
  const stack = startStack(
    urls,
    (event) => {
      if (event.kind === 'request.rejected' && event.status >= 500) serverErrors += 1;
    },
    { bundles: true },
  );
  const rss = () => Object.fromEntries(Object.entries(stack.pids()).map(([p, pid]) => [p, rssMegabytes(pid!)])) as Partial<Record<Party, number>>;
  try {
    await stack.ready;
    await sleep(1000);
    const before = rss();
    const client = clientUrls(urls.clientBase);
    const durations: number[] = [];
    const failures: string[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < options.journeys) {
        next += 1;
        const t0 = performance.now();
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
        durations.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const sorted = durations.sort((a, b) => a - b);
    const after = rss();
    await sleep(SETTLE_MS);
    return { journeys: durations.length, concurrency: options.concurrency, failures, serverErrors, seconds, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), rss: { before, after, settled: rss() } };
  } finally {
    await stack.stop();
  }
}

export function formatSoak(r: SoakReport): string {
  const mb = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);
  const parties: Party[] = ['authorization-server', 'resource-server', 'client-host'];
  return [
    `mcp-auth-demo soak · Node ${process.version} · ${r.journeys} whole journeys, ${r.concurrency} at a time · loopback only`,
    '',
    `failures      ${r.failures.length}${r.failures.length ? `  (first: ${r.failures.slice(0, 3).join(' | ')})` : ''}`,
    `5xx answers   ${r.serverErrors}`,
    `journey       p50 ${r.p50.toFixed(0)} ms   p95 ${r.p95.toFixed(0)} ms`,
    `throughput    ${(r.journeys / r.seconds).toFixed(1)} journeys/s (${r.seconds.toFixed(1)} s in all)`,
    `RSS           idle before → right after → after ${SETTLE_MS / 1000} s idle`,
    ...parties.map((p) => `  ${p.padEnd(22)} ${mb(r.rss.before[p]).padStart(7)} → ${mb(r.rss.after[p]).padStart(7)} → ${mb(r.rss.settled[p])}`),
    '',
  ].join('\n');
}
