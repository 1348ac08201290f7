/**
 * RFC 6750 §3.1 `insufficient_scope` and MCP "Scope Challenge Handling": one scope strategy
 * (base scope for every request, plus the tool's own scopes), decided before the MCP SDK runs,
 * and the same scopes named in every challenge.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { requiredScopes } from './scopes.ts';
import { createTestSetup, mcpRequest, parseChallenge, rpc, TEST_PRM_URL } from '../testing/index.ts';
import { REQUIRED_SCOPES_META_KEY } from './tools.ts';

let setup: Awaited<ReturnType<typeof createTestSetup>>;
beforeAll(async () => {
  setup = await createTestSetup();
});

async function rpcResult(res: Response): Promise<Record<string, unknown>> {
  const json = (await res.json()) as { result?: Record<string, unknown> };
  return json.result ?? {};
}

describe('requiredScopes: the one strategy', () => {
  it.each([
    ['initialize', rpc.initialize(), ['mcp:connect'], 'initialize'],
    ['tools/list', rpc.listTools(), ['mcp:connect'], 'tools/list'],
    ['tools/call whoami', rpc.callTool('whoami'), ['mcp:connect'], 'whoami'],
    ['tools/call get_weather', rpc.callTool('get_weather', { city: 'Oslo' }), ['mcp:connect', 'weather:read'], 'get_weather'],
    ['a batch: the union of its messages', [rpc.callTool('whoami'), rpc.callTool('get_weather')], ['mcp:connect', 'weather:read'], 'whoami, get_weather'],
    ['an unknown tool', rpc.callTool('nope'), ['mcp:connect'], 'nope'],
    ['a tool named like an Object prototype key', rpc.callTool('constructor'), ['mcp:connect'], 'constructor'],
    ['tools/call without params', { jsonrpc: '2.0', id: 1, method: 'tools/call' }, ['mcp:connect'], 'tools/call'],
    ['a body that was not JSON', undefined, ['mcp:connect'], '(no method)'],
  ])('%s', (_name, body, scopes, operation) => {
    expect(requiredScopes(body)).toEqual({ scopes, operation });
  });
});

describe('RFC 6750 §3.1: a valid token without a needed scope gets 403 insufficient_scope', () => {
  const rows: [name: string, tokenScope: string, body: unknown, challenged: string, tool: string][] = [
    ['no mcp:connect: initialize', 'weather:read', rpc.initialize(), 'mcp:connect', 'initialize'],
    ['no mcp:connect: whoami', 'weather:read', rpc.callTool('whoami'), 'mcp:connect', 'whoami'],
    ['only an unrelated scope: get_weather', 'profile', rpc.callTool('get_weather', { city: 'Oslo' }), 'mcp:connect weather:read', 'get_weather'],
    ['no weather:read: get_weather', 'mcp:connect', rpc.callTool('get_weather', { city: 'Oslo' }), 'mcp:connect weather:read', 'get_weather'],
    ['no weather:read: a batch that hides get_weather behind whoami', 'mcp:connect', [rpc.callTool('whoami', {}, 1), rpc.callTool('get_weather', { city: 'Oslo' }, 2)], 'mcp:connect weather:read', 'whoami, get_weather'],
  ];

  it.each(rows)('%s', async (_name, tokenScope, body, challenged, tool) => {
    setup.events.length = 0;
    const token = await setup.as.mint({ claims: { scope: tokenScope } });
    const res = await mcpRequest(setup.app, body, { token });

    expect(res.status).toBe(403);
    expect(parseChallenge(res.headers.get('www-authenticate'))).toEqual({
      scheme: 'bearer',
      params: { error: 'insufficient_scope', error_description: expect.any(String), scope: challenged, resource_metadata: TEST_PRM_URL },
    });
    expect(((await res.json()) as { error: string }).error).toBe('insufficient_scope');
    expect(setup.eventsOf('scope.insufficient')).toEqual([
      expect.objectContaining({ tool, required: challenged.split(' '), held: tokenScope.split(' ') }),
    ]);
    // Decided before the MCP SDK: no tool ran.
    expect(setup.eventsOf('tool.invoked')).toEqual([]);
  });

  it("the 403's trace event names the presented token's client_id and jti (the grader ties the 403 to its session)", async () => {
    setup.events.length = 0;
    const token = await setup.as.mint({ claims: { scope: 'mcp:connect', client_id: 'https://client.example/cimd.json', jti: 'jti-of-this-token' } });
    expect((await mcpRequest(setup.app, rpc.callTool('get_weather', { city: 'Oslo' }), { token })).status).toBe(403);
    expect(setup.eventsOf('scope.insufficient')).toEqual([expect.objectContaining({ client_id: 'https://client.example/cimd.json', jti: 'jti-of-this-token' })]);
  });

  it('the same token still calls whoami', async () => {
    const token = await setup.as.mint({ claims: { scope: 'mcp:connect' } });
    const res = await mcpRequest(setup.app, rpc.callTool('whoami'), { token });
    expect(res.status).toBe(200);
    expect(await rpcResult(res)).toMatchObject({ structuredContent: { sub: 'alice', scopes: ['mcp:connect'] } });
  });

  it('with weather:read, get_weather returns the forecast', async () => {
    const token = await setup.as.mint({ claims: { scope: 'mcp:connect weather:read' } });
    const res = await mcpRequest(setup.app, rpc.callTool('get_weather', { city: 'Amsterdam' }), { token });
    expect(res.status).toBe(200);
    expect(await rpcResult(res)).toMatchObject({
      structuredContent: { city: 'Amsterdam', conditions: 'light rain', temperature_c: 12, source: 'table' },
    });
  });

  it('a request without a token is challenged for the base scope from its headers alone (the tool scope comes with the 403)', async () => {
    const res = await mcpRequest(setup.app, rpc.callTool('get_weather', { city: 'Oslo' }));
    expect(res.status).toBe(401);
    expect(parseChallenge(res.headers.get('www-authenticate'))?.params).toEqual({
      scope: 'mcp:connect',
      resource_metadata: TEST_PRM_URL,
    });
  });
});

describe('each tool advertises the scopes it needs', () => {
  it('in _meta and in its description (tools/list)', async () => {
    const token = await setup.as.mint({ claims: { scope: 'mcp:connect' } });
    const res = await mcpRequest(setup.app, rpc.listTools(), { token });
    const { tools } = (await rpcResult(res)) as { tools: { name: string; description: string; _meta: Record<string, unknown> }[] };
    const advertised = Object.fromEntries(tools.map((tool) => [tool.name, tool._meta[REQUIRED_SCOPES_META_KEY]]));
    expect(advertised).toEqual({ whoami: ['mcp:connect'], get_weather: ['mcp:connect', 'weather:read'] });
    expect(tools.find((tool) => tool.name === 'get_weather')?.description).toContain('mcp:connect weather:read');
  });
});
