/**
 * Both eras against ONE running server instance at the same time, over real HTTP (127.0.0.1,
 * an ephemeral port): the official SDK v2 client pinned to 2026-07-28 (no handshake, every
 * request self-describing) and the official SDK v1 client, which speaks only 2025-11-25
 * (`initialize` first). Each gets its own answers; neither era disturbs the other.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestSetup } from '../testing/index.ts';

let setup: Awaited<ReturnType<typeof serveTestSetup>>;
let resource: string;
/** Every MCP request the server saw, with the headers that carry the 2026-07-28 request metadata. */
const seen: { era?: string; version: string | null; method: string | null; name: string | null; session: string | null }[] = [];

beforeAll(async () => {
  setup = await serveTestSetup((request) =>
    seen.push({
      version: request.headers.get('mcp-protocol-version'),
      method: request.headers.get('mcp-method'),
      name: request.headers.get('mcp-name'),
      session: request.headers.get('mcp-session-id'),
    }));
  resource = setup.resource;
});

afterAll(() => setup.close());

async function modernClient(token: string): Promise<ModernClient> {
  const client = new ModernClient({ name: 'modern', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new ModernTransport(new URL(resource), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

async function legacyClient(token: string): Promise<LegacyClient> {
  const client = new LegacyClient({ name: 'legacy', version: '0' });
  await client.connect(new LegacyTransport(new URL(resource), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

describe('one server instance, two protocol eras at once', () => {
  it('a 2026-07-28 SDK client and a 2025-11-25 SDK client call the tools concurrently and each sees only itself', async () => {
    const [modern, legacy] = await Promise.all([
      modernClient(await setup.as.mint({ claims: { sub: 'modern-user' } })),
      legacyClient(await setup.as.mint({ claims: { sub: 'legacy-user' } })),
    ]);
    try {
      expect(modern.getProtocolEra()).toBe('modern');
      expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(legacy.getServerVersion()?.name).toBe('mcp-auth-demo-resource-server');

      const calls = Array.from({ length: 6 }, (_, i) => [
        modern.callTool({ name: 'whoami', arguments: {} }).then((r) => ['modern', i, r.structuredContent] as const),
        legacy.callTool({ name: 'whoami', arguments: {} }).then((r) => ['legacy', i, r.structuredContent] as const),
        modern.callTool({ name: 'get_weather', arguments: { city: 'Tokyo' } }).then((r) => ['modern-weather', i, r.structuredContent] as const),
        legacy.callTool({ name: 'get_weather', arguments: { city: 'Tokyo' } }).then((r) => ['legacy-weather', i, r.structuredContent] as const),
      ]).flat();
      for (const [who, , content] of await Promise.all(calls)) {
        if (who === 'modern') expect(content).toMatchObject({ sub: 'modern-user' });
        if (who === 'legacy') expect(content).toMatchObject({ sub: 'legacy-user' });
        if (who.endsWith('weather')) expect(content).toMatchObject({ city: 'Tokyo', source: 'table' });
      }

      const eras = setup.eventsOf('mcp.era_detected').map((e) => e.era);
      expect(eras).toContain('2026-07-28');
      expect(eras).toContain('2025-11-25');
      // 2026-07-28: every request names its revision and method in headers, and no session exists.
      const modernCalls = seen.filter((r) => r.version === '2026-07-28' && r.method === 'tools/call');
      expect(modernCalls.length).toBe(12);
      expect(modernCalls.every((r) => r.name === 'whoami' || r.name === 'get_weather')).toBe(true);
      expect(seen.every((r) => r.session === null)).toBe(true);
      // 2025-11-25: the legacy client never sends Mcp-Method; its requests say 2025-11-25 after initialize.
      expect(seen.filter((r) => r.method === null).every((r) => r.version === null || r.version === '2025-11-25')).toBe(true);
    } finally {
      await Promise.all([modern.close(), legacy.close()]);
    }
  });

  it('the 2026-07-28 client is refused a tool its token lacks the scope for, with the same 403 insufficient_scope challenge a 2025 client gets', async () => {
    const modern = await modernClient(await setup.as.mint({ claims: { scope: 'mcp:connect' } }));
    try {
      // The SDK v2 client reads the 403 challenge (RFC 6750 §3.1) into a typed error.
      const error = (await modern.callTool({ name: 'get_weather', arguments: { city: 'Oslo' } }).catch((e: unknown) => e)) as Record<string, unknown>;
      expect(error.requiredScope).toBe('mcp:connect weather:read');
      expect(String(error.resourceMetadataUrl)).toBe(resource.replace('/mcp', '/.well-known/oauth-protected-resource/mcp'));
    } finally {
      await modern.close();
    }
  });
});
