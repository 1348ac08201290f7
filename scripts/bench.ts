/**
 * `pnpm bench`: measured figures, printed (the tests assert behaviour, never timings).
 *
 * Starts the three real servers on free loopback ports, then measures, with bounded loops:
 *   - cold start: spawn to all three servers listening;
 *   - the whole journey (discovery → step-up → retry), end to end;
 *   - one MCP tool call with a valid token (RS token validation + the SDK transport),
 *     sequentially and with 8 concurrent callers.
 *
 *   pnpm bench [--runs N]
 */
import { clientUrls, runJourney } from '@mcp-auth-demo/client';
import { parseArgs } from 'node:util';
import { freePorts, startStack, urlsForPorts, type StackUrls } from '@mcp-auth-demo/stack';

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

function row(label: string, samples: number[], extra = '') {
  const s = stats(samples);
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(10);
  process.stdout.write(`${label.padEnd(42)} n=${String(s.n).padEnd(5)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)}${extra}\n`);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

function journey(urls: StackUrls, calls: { name: string; arguments: Record<string, unknown> }[]) {
  const client = clientUrls(urls.clientBase);
  return runJourney({
    serverUrl: urls.resource,
    registration: { clientMetadataUrl: client.clientId, redirectUri: client.redirectUri, clientName: 'bench' },
    calls,
  });
}

function toolCall(urls: StackUrls, token: string, id: number) {
  return fetch(urls.resource, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
  }).then(async (r) => {
    await r.text();
    if (r.status !== 200) throw new Error(`tool call answered ${r.status}`);
  });
}

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
  const runs = Math.max(1, Math.min(500, Number(values.runs) || 20));
  const urls = urlsForPorts(await freePorts());

  process.stdout.write(`mcp-auth-demo benchmark · Node ${process.version} · ${runs} runs · loopback only\n\n`);
  const spawnedAt = performance.now();
  const stack = startStack(urls, () => {});
  try {
    await stack.ready;
    const coldStart = performance.now() - spawnedAt;
    row('cold start (3 processes listening)', [coldStart]);

    const journeys: number[] = [];
    let token = '';
    for (let i = 0; i < runs; i += 1) {
      const [ms, result] = await timed(() => journey(urls, [{ name: 'whoami', arguments: {} }, { name: 'get_weather', arguments: { city: 'Oslo' } }]));
      if (!result.ok) throw new Error(`journey failed: ${JSON.stringify(result.failure)}`);
      journeys.push(ms);
      token = result.tokens.at(-1)!.access_token;
    }
    row('whole journey (2 authorizations, 3 calls)', journeys);

    const calls: number[] = [];
    for (let i = 0; i < runs * 10; i += 1) calls.push((await timed(() => toolCall(urls, token, i)))[0]);
    row('tool call with a valid token, sequential', calls);

    const concurrency = 8;
    const perWorker = Math.ceil((runs * 10) / concurrency);
    const concurrent: number[] = [];
    const [wall] = await timed(() =>
      Promise.all(Array.from({ length: concurrency }, async (_, w) => {
        for (let i = 0; i < perWorker; i += 1) concurrent.push((await timed(() => toolCall(urls, token, w * 1000 + i)))[0]);
      })),
    );
    row(`tool call, ${concurrency} concurrent callers`, concurrent, `  (${((concurrent.length / wall) * 1000).toFixed(0)} calls/s)`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
