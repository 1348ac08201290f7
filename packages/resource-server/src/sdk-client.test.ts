/**
 * The official MCP SDK client against this server over real HTTP (Streamable HTTP transport on
 * 127.0.0.1, an ephemeral port): both tools work with a valid token, a missing scope stops the
 * call, and many clients with different tokens at once each see only themselves.
 * The authorization server's metadata and JWKS are still served in-process (injected fetch).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestSetup } from '../testing/index.ts';
import { REQUIRED_SCOPES_META_KEY } from './tools.ts';

let setup: Awaited<ReturnType<typeof serveTestSetup>>;
let resource: string;

beforeAll(async () => {
  setup = await serveTestSetup();
  resource = setup.resource;
});

afterAll(() => setup.close());

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'sdk-client-test', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(resource), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

describe('the MCP SDK client over real HTTP', () => {
  it('lists both tools and calls them with a valid token', async () => {
    const client = await connect(await setup.as.mint({ claims: { sub: 'alice', scope: 'mcp:connect weather:read' } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => [tool.name, tool._meta?.[REQUIRED_SCOPES_META_KEY]])).toEqual([
        ['whoami', ['mcp:connect']],
        ['get_weather', ['mcp:connect', 'weather:read']],
      ]);

      const whoami = await client.callTool({ name: 'whoami', arguments: {} });
      expect(whoami.structuredContent).toMatchObject({
        sub: 'alice',
        scopes: ['mcp:connect', 'weather:read'],
        audience: resource,
        issuer: setup.as.issuer,
        expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });

      const weather = await client.callTool({ name: 'get_weather', arguments: { city: 'Tokyo' } });
      expect(weather.structuredContent).toEqual({ city: 'Tokyo', conditions: 'humid and cloudy', temperature_c: 26, wind_kph: 8, source: 'table' });
      expect(JSON.parse((weather.content as { text: string }[])[0]!.text)).toEqual(weather.structuredContent);
    } finally {
      await client.close();
    }
  });

  it('without weather:read, get_weather is refused (HTTP 403) while whoami works', async () => {
    const client = await connect(await setup.as.mint({ claims: { scope: 'mcp:connect' } }));
    try {
      await expect(client.callTool({ name: 'get_weather', arguments: { city: 'Oslo' } })).rejects.toMatchObject({
        code: 403,
        message: expect.stringContaining('insufficient_scope'),
      });
      const whoami = await client.callTool({ name: 'whoami', arguments: {} });
      expect(whoami.structuredContent).toMatchObject({ scopes: ['mcp:connect'] });
    } finally {
      await client.close();
    }
  });

  it('many clients with different tokens at once each get their own whoami', async () => {
    const subjects = Array.from({ length: 8 }, (_, index) => `user-${index + 1}`);
    const clients = await Promise.all(
      subjects.map(async (sub) => connect(await setup.as.mint({ claims: { sub, client_id: `https://client-${sub}.example/cimd.json` } }))),
    );
    try {
      const answers = await Promise.all(
        clients.flatMap((client) => [
          client.callTool({ name: 'whoami', arguments: {} }),
          client.callTool({ name: 'get_weather', arguments: { city: 'Paris' } }),
          client.callTool({ name: 'whoami', arguments: {} }),
        ]),
      );
      const whoamis = answers.filter((_, index) => index % 3 !== 1).map((answer) => answer.structuredContent as { sub: string; client_id: string });
      expect(whoamis.map((caller) => caller.sub)).toEqual(subjects.flatMap((sub) => [sub, sub]));
      expect(whoamis.map((caller) => caller.client_id)).toEqual(subjects.flatMap((sub) => [`https://client-${sub}.example/cimd.json`, `https://client-${sub}.example/cimd.json`]));
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
