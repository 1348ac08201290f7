/**
 * Both MCP revisions end to end: real server processes on ephemeral loopback ports, the real
 * client, real HTTP. Nothing of ours is mocked.
 *
 * - `pnpm demo --spec 2026-07-28` (CIMD and DCR) exits 0 with no handshake, self-describing
 *   requests, and the closing lesson.
 * - ONE resource-server process serves a 2026-07-28 client (the official SDK v2 client, pinned
 *   to 2026-07-28) and a 2025-11-25 client at the same time.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { clientUrls, runJourney } from '@mcp-auth-demo/client';
import { freePorts, startStack, urlsForPorts } from '@mcp-auth-demo/stack';
import { describe, expect, it } from 'vitest';
import { only, parseTrace, portFlags, runCommand } from './processes.ts';


describe('pnpm demo --spec 2026-07-28', () => {
  it.each([['cimd'], ['dcr']])('--registration %s: exits 0, no initialize, every MCP request self-describing, the lesson at the end', async (registration) => {
    const ports = await freePorts();
    const result = await runCommand('demo', [...portFlags(ports), '--spec', '2026-07-28', '--registration', registration, '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const events = parseTrace(String(result.stdout));
    const resource = `http://localhost:${ports.rs}/mcp`;
    expect(only(events, 'mcp.connected')).toEqual([expect.objectContaining({ revision: '2026-07-28', chosen: '2026-07-28' })]);
    const mcp = only(events, 'http.request').filter((r) => r.url === resource);
    expect(mcp.map((r) => r.body)).not.toContain('JSON-RPC initialize');
    expect(mcp.every((r) => r.headers['MCP-Protocol-Version'] === '2026-07-28' && r.headers['Mcp-Method'] !== undefined)).toBe(true);
    expect(new Set(only(events, 'mcp.era_detected').map((e) => e.era))).toEqual(new Set(['2026-07-28']));
    expect(only(events, 'tool.result').map((r) => [r.name, r.isError])).toEqual([['whoami', false], ['get_weather', false]]);
    if (registration === 'dcr') expect(only(events, 'registration.completed')).toHaveLength(1);
    expect(events.at(-1)?.kind).toBe('lesson.eras_compared');
  });
});

describe('one resource-server process, two protocol revisions at once', () => {
  it('a 2026-07-28 client and a 2025-11-25 client run their whole journeys concurrently against the same RS', async () => {
    const urls = urlsForPorts(await freePorts());
    const serverEvents: TraceEvent[] = [];
    const stack = startStack(urls, (event) => serverEvents.push(event));
    try {
      await stack.ready;
      const client = clientUrls(urls.clientBase);
      const journey = (spec: '2025-11-25' | '2026-07-28') => {
        const events: TraceEvent[] = [];
        const run = runJourney({
          serverUrl: urls.resource,
          spec,
          registration: { clientMetadataUrl: client.clientId, redirectUri: client.redirectUri, clientName: `client ${spec}` },
          calls: [
            { name: 'whoami', arguments: {} },
            { name: 'get_weather', arguments: { city: 'Paris' } },
            { name: 'whoami', arguments: {} },
          ],
          onEvent: (e) => events.push(e),
        });
        return run.then((result) => ({ result, events }));
      };
      const [modern, legacy] = await Promise.all([journey('2026-07-28'), journey('2025-11-25')]);
      for (const { result } of [modern, legacy]) {
        expect(result.failure).toBeUndefined();
        expect(result.outcomes.map((o) => [o.name, o.outcome.isError])).toEqual([['whoami', false], ['get_weather', false], ['whoami', false]]);
      }
      expect(only(modern.events, 'mcp.connected')[0]).toMatchObject({ revision: '2026-07-28' });
      expect(only(legacy.events, 'mcp.connected')[0]).toMatchObject({ revision: '2025-11-25', handshake: 'initialize' });
      // The one RS process decided the era per request and saw both.
      const eras = only(serverEvents, 'mcp.era_detected');
      expect(new Set(eras.map((e) => e.era))).toEqual(new Set(['2025-11-25', '2026-07-28']));
      expect(eras.filter((e) => e.method === 'initialize').every((e) => e.era === '2025-11-25')).toBe(true);
      expect(eras.filter((e) => e.method === 'server/discover').every((e) => e.era === '2026-07-28')).toBe(true);
    } finally {
      await stack.stop();
    }
  });
});
