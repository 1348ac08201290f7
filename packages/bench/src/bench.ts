/**
 * `pnpm bench`: the figures docs/speed.md records, measured on this machine in one run, each
 * set beside a baseline run in the same run (ratios mean more than absolute numbers on a
 * shared 2-core machine). Loopback only; every loop is bounded in count and time.
 *
 *   pnpm bench [--quick] [--json]
 *
 * Sections: each server's time to listen and idle RSS; the RS's authenticated tools/call with
 * revocation by push on, against the same RS introspecting every request, the same MCP layer
 * without auth and bare Hono; RSS after that load; revocation latency at the RS over 100 code
 * replays (revocation-latency.ts); AS
 * authorization flows in batches (flatness) against a bare RS256 signer; the whole journey;
 * `pnpm demo` end to end, cold, median of 5; what `--https` adds to it once the CA exists
 * (demo-runs.ts measureHttpsCost); the page of `--html` (page-cost.ts): its size, and the
 * time drawing and writing it adds.
 */
import { clientUrls, runJourney } from '@mcp-auth-demo/client';
import type { Party } from '@mcp-auth-demo/trace';
import { freePorts, startStack, urlsForPorts, type StackUrls } from '@mcp-auth-demo/stack';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { measureAsFlows } from './as-flows.ts';
import { startBaseline, type Baseline } from './baselines.ts';
import { measureHttpsCost, measurePnpmFloor, runDemoCold } from './demo-runs.ts';
import { measurePage } from './page-cost.ts';
import { rssMegabytes } from './process-stats.ts';
import { printReport, type BenchReport } from './report.ts';
import { measureRevocationLatency } from './revocation-latency.ts';
import { measureRsThroughput } from './rs-throughput.ts';
import { percentile } from './percentile.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** Revocations timed, with --quick too: p99 over fewer than 100 would be the maximum. */
const REVOCATIONS = 100;

async function journey(urls: StackUrls, calls: { name: string; arguments: Record<string, unknown> }[]) {
  const client = clientUrls(urls.clientBase);
  const result = await runJourney({
    serverUrl: urls.resource,
    registration: { clientMetadataUrl: client.clientId, redirectUri: client.redirectUri, clientName: 'bench' },
    calls,
  });
  if (!result.ok) throw new Error(`bench: the journey failed: ${JSON.stringify(result.failure)}`);
  return result;
}

function rssOf(pids: Partial<Record<Party, number>>): Partial<Record<Party, number>> {
  return Object.fromEntries(Object.entries(pids).map(([party, pid]) => [party, rssMegabytes(pid!)]));
}

export async function runBench(options: { quick: boolean }): Promise<BenchReport> {
  const scale = options.quick ? 0.2 : 1;
  const urls = urlsForPorts(await freePorts());
  const listenedAt: Partial<Record<Party, number>> = {};
  const spawnedAt = performance.now();
  const stack = startStack(urls, (event) => {
    if (event.kind === 'server.listening') listenedAt[event.party] = performance.now() - spawnedAt;
  }, { bundles: true });
  const baselines: Baseline[] = [];
  let introspectedStack: ReturnType<typeof startStack> | undefined;
  try {
    await stack.ready;
    const allListening = performance.now() - spawnedAt;
    await sleep(1000);
    const idleRss = rssOf(stack.pids());

    const [sdkNoAuth, bareHono, signer] = await Promise.all([startBaseline('sdk-no-auth'), startBaseline('bare-hono'), startBaseline('hono-rs256-sign')]);
    baselines.push(sdkNoAuth, bareHono, signer);

    // A second stack whose MCP server asks the AS about every token (--introspect-every-request):
    // ours/it is what the push saves; the push stack is the one `pnpm demo` runs.
    const introspectedUrls = urlsForPorts(await freePorts());
    introspectedStack = startStack(introspectedUrls, () => {}, { bundles: true, introspectEveryRequest: true });
    await introspectedStack.ready;

    const token = (await journey(urls, [{ name: 'whoami', arguments: {} }])).tokens.at(-1)!.access_token;
    const introspectedToken = (await journey(introspectedUrls, [{ name: 'whoami', arguments: {} }])).tokens.at(-1)!.access_token;
    const rs = await measureRsThroughput(
      { ours: urls.resource, oursIntrospected: introspectedUrls.resource, sdkNoAuth: sdkNoAuth.url, bareHono: bareHono.url },
      { ours: token, oursIntrospected: introspectedToken },
      Math.round(10_000 * scale),
    );
    const loadedRss = rssOf(stack.pids());
    await introspectedStack.stop();

    const client = clientUrls(urls.clientBase);
    const revocation = await measureRevocationLatency(
      { issuer: urls.issuer, resource: urls.resource, clientId: client.clientId, redirectUri: client.redirectUri },
      REVOCATIONS,
    );
    const as = await measureAsFlows(
      { issuer: urls.issuer, resource: urls.resource, clientId: client.clientId, redirectUri: client.redirectUri },
      signer.url,
      Math.round(10_000 * scale),
      3,
    );

    const journeys: number[] = [];
    for (let i = 0; i < Math.round(20 * scale) + 1; i += 1) {
      const started = performance.now();
      await journey(urls, [{ name: 'whoami', arguments: {} }, { name: 'get_weather', arguments: { city: 'Oslo' } }]);
      journeys.push(performance.now() - started);
    }
    await Promise.all(baselines.splice(0).map((b) => b.stop()));
    await stack.stop();

    const demo = [];
    for (let i = 0; i < 5; i += 1) demo.push(await runDemoCold(root));
    const pnpmFloorMs = await measurePnpmFloor(root, 5);
    const https = await measureHttpsCost(root, options.quick ? 3 : 5);
    const page = await measurePage(root);

    return {
      node: process.version,
      startup: { listenedAt, allListening },
      rss: { idle: idleRss, afterLoad: loadedRss },
      rs,
      revocation,
      as,
      journey: { n: journeys.length, p50: percentile(journeys, 0.5), p95: percentile(journeys, 0.95) },
      demo: { wallMs: percentile(demo.map((d) => d.wallMs), 0.5), journeyMs: percentile(demo.map((d) => d.journeyMs), 0.5), runs: demo, pnpmFloorMs },
      https,
      page,
    };
  } finally {
    await introspectedStack?.stop();
    await Promise.all(baselines.map((b) => b.stop()));
    await stack.stop();
  }
}

export { printReport };
