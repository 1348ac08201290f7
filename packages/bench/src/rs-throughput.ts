/**
 * The resource server's hot path: an authenticated `tools/call` (whoami), as `pnpm demo` runs it
 * (revocation by push on: RFC 8935 SETs, no round trip per request), against the same server
 * asking the AS about every token (`--introspect-every-request`, RFC 7662), the same MCP layer
 * with no authorization, and bare Hono, each under the same load.
 */
import { load, type LoadFigures } from './load.ts';

export interface RsFigures {
  /** Our MCP server as `pnpm demo` runs it: revocations pushed to it, tokens checked locally. */
  ours: LoadFigures;
  /** The same server with `--introspect-every-request`: one RFC 7662 round trip per request. */
  oursIntrospected: LoadFigures;
  sdkNoAuth: LoadFigures;
  bareHono: LoadFigures;
}

const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } });

function toolCallLoad(url: string, amount: number, connections: number, token?: string) {
  return load({
    url,
    connections,
    amount,
    requests: [{
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    }],
  });
}

/**
 * Runs each target in turn, warm-up first, then interleaves the measured runs (ours, ours
 * introspected, a, b, and again) so a change in machine load touches all four alike; keeps each one's best.
 */
export async function measureRsThroughput(
  targets: { ours: string; oursIntrospected: string; sdkNoAuth: string; bareHono: string },
  tokens: { ours: string; oursIntrospected: string },
  amount: number,
): Promise<RsFigures> {
  const connections = 8;
  const run = {
    ours: (n = amount) => toolCallLoad(targets.ours, n, connections, tokens.ours),
    oursIntrospected: (n = amount) => toolCallLoad(targets.oursIntrospected, n, connections, tokens.oursIntrospected),
    sdkNoAuth: (n = amount) => toolCallLoad(`${targets.sdkNoAuth}/mcp`, n, connections),
    bareHono: (n = amount) => toolCallLoad(`${targets.bareHono}/mcp`, n, connections),
  };
  for (const warm of Object.values(run)) await warm(Math.min(amount, 2000));
  const best: Partial<RsFigures> = {};
  for (let round = 0; round < 2; round += 1) {
    for (const [name, measure] of Object.entries(run) as [keyof RsFigures, () => Promise<LoadFigures>][]) {
      const figures = await measure();
      if (!best[name] || figures.rate > best[name]!.rate) best[name] = figures;
    }
  }
  return best as RsFigures;
}
