/**
 * The resource server's hot path: an authenticated `tools/call` (whoami), against the same
 * MCP layer with no authorization and against bare Hono, each under the same load.
 */
import { load, type LoadFigures } from './load.ts';

export interface RsFigures {
  /** Our MCP server as `pnpm demo` runs it: the revocation check asks the AS on every request. */
  ours: LoadFigures;
  /** The same, reusing the AS's positive introspection answers (RFC 7662 §4) for up to 60 s. */
  oursIntrospectionCached: LoadFigures;
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
 * cached, a, b, and again) so a change in machine load touches all three alike; keeps each one's best.
 */
export async function measureRsThroughput(
  targets: { ours: string; oursIntrospectionCached: string; sdkNoAuth: string; bareHono: string },
  tokens: { ours: string; oursIntrospectionCached: string },
  amount: number,
): Promise<RsFigures> {
  const connections = 8;
  const run = {
    ours: (n = amount) => toolCallLoad(targets.ours, n, connections, tokens.ours),
    oursIntrospectionCached: (n = amount) => toolCallLoad(targets.oursIntrospectionCached, n, connections, tokens.oursIntrospectionCached),
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
