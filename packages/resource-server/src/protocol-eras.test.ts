/**
 * Both eras on one endpoint (MCP 2026-07-28 versioning, "Backward compatibility"): a 2026-07-28
 * request is recognised by its protocol-version claim and served without a handshake; a
 * 2025-11-25 request by its absence. The authorization checks in front are the same for both.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSetup, mcpRequest, MODERN, modernHeaders, modernRequest, parseChallenge, rpc } from '../testing/index.ts';
import { McpServer } from '@modelcontextprotocol/server';
import { createProtocolEras, withoutSelfCancellations } from './protocol-eras.ts';

const modern = (method: string, params: Record<string, unknown> = {}, version = MODERN) => modernRequest(method, params, { version });

let setup: Awaited<ReturnType<typeof createTestSetup>>;
let token: string;
let baseOnly: string;
beforeAll(async () => {
  setup = await createTestSetup();
  token = await setup.as.mint();
  baseOnly = await setup.as.mint({ claims: { scope: 'mcp:connect' } });
});

describe('a 2026-07-28 request is self-describing: served with no initialize and no session', () => {
  it('tools/call with MCP-Protocol-Version, Mcp-Method and Mcp-Name runs the tool', async () => {
    const res = await mcpRequest(setup.app, modern('tools/call', { name: 'whoami', arguments: {} }), {
      token,
      headers: modernHeaders('tools/call', 'whoami'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    const body = await res.json();
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 7, result: { structuredContent: { sub: expect.any(String) } } });
    expect(setup.eventsOf('mcp.era_detected').at(-1)).toMatchObject({ era: MODERN, method: 'tools/call' });
  });

  it('server/discover (which every 2026-07-28 server MUST implement) names both revisions and the tools capability', async () => {
    const res = await mcpRequest(setup.app, modern('server/discover'), { token, headers: modernHeaders('server/discover') });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { supportedVersions: string[]; capabilities: Record<string, unknown> } };
    expect(result.supportedVersions).toEqual(expect.arrayContaining([MODERN]));
    expect(result.capabilities).toHaveProperty('tools');
  });

  it('a 2025-11-25 initialize on the same endpoint is still answered, as 2025-11-25', async () => {
    const res = await mcpRequest(setup.app, rpc.initialize(), { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { protocolVersion: '2025-11-25' } });
    expect(setup.eventsOf('mcp.era_detected').at(-1)).toMatchObject({ era: '2025-11-25', method: 'initialize' });
  });
});

describe('header/body consistency (MCP 2026-07-28 transports, "Server Validation")', () => {
  const call = modern('tools/call', { name: 'whoami', arguments: {} });
  const rows: [rule: string, body: unknown, headers: Record<string, string>, code: number][] = [
    ['Mcp-Method missing → -32020 HeaderMismatch', call, { 'mcp-protocol-version': MODERN, 'mcp-name': 'whoami' }, -32020],
    ['Mcp-Name missing on tools/call → -32020', call, { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' }, -32020],
    ['Mcp-Method differs from the body → -32020', call, modernHeaders('tools/list', 'whoami'), -32020],
    ['Mcp-Name differs from the body (a router would see another tool) → -32020', call, modernHeaders('tools/call', 'get_weather'), -32020],
    ['MCP-Protocol-Version differs from _meta → -32020', call, modernHeaders('tools/call', 'whoami', '2025-11-25'), -32020],
    [
      'a revision this server does not implement → -32022 UnsupportedProtocolVersion',
      modern('tools/call', { name: 'whoami', arguments: {} }, '2099-01-01'),
      modernHeaders('tools/call', 'whoami', '2099-01-01'),
      -32022,
    ],
  ];

  it.each(rows)('%s (400)', async (_rule, body, headers, code) => {
    const res = await mcpRequest(setup.app, body, { token, headers });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: { code: number; data?: { supported?: string[] } } };
    expect(answer.error.code).toBe(code);
    // The -32022 answer lists what the server does speak, so the client can retry with one.
    if (code === -32022) expect(answer.error.data?.supported).toEqual(expect.arrayContaining([MODERN]));
  });

  it('a refused request never reaches the tool', async () => {
    const before = setup.eventsOf('tool.invoked').length;
    await mcpRequest(setup.app, call, { token, headers: modernHeaders('tools/call', 'get_weather') });
    expect(setup.eventsOf('tool.invoked').length).toBe(before);
  });
});

describe('the authorization checks stand in front of both eras, unchanged', () => {
  const weather = modern('tools/call', { name: 'get_weather', arguments: { city: 'Oslo' } });

  it('a 2026-07-28 request without a token gets the 401 challenge (RFC 6750 §3, RFC 9728 §5.1)', async () => {
    const res = await mcpRequest(setup.app, modern('server/discover'), { headers: modernHeaders('server/discover') });
    expect(res.status).toBe(401);
    expect(parseChallenge(res.headers.get('www-authenticate'))?.params).toMatchObject({ scope: 'mcp:connect', resource_metadata: expect.any(String) });
  });

  it('a 2026-07-28 get_weather without weather:read gets 403 insufficient_scope with every needed scope', async () => {
    const res = await mcpRequest(setup.app, weather, { token: baseOnly, headers: modernHeaders('tools/call', 'get_weather') });
    expect(res.status).toBe(403);
    expect(parseChallenge(res.headers.get('www-authenticate'))?.params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'mcp:connect weather:read',
    });
  });

  it('a header that lies about the tool cannot dodge the scope check: the body decides, then the header is refused', async () => {
    // The scope check reads the body (get_weather), not the header (whoami).
    const res = await mcpRequest(setup.app, weather, { token: baseOnly, headers: modernHeaders('tools/call', 'whoami') });
    expect(res.status).toBe(403);
  });
});

describe('every POST gets an answer (a batch that cancels its own call)', () => {
  it('[tools/call, notifications/cancelled for that call] is answered with the call result', async () => {
    const batch = [rpc.callTool('whoami', {}, 41), { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 41 } }];
    const res = await mcpRequest(setup.app, batch, { token });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect([answer].flat()).toEqual([expect.objectContaining({ id: 41, result: expect.objectContaining({ structuredContent: expect.any(Object) }) })]);
  });

  it.each([
    ['a cancellation of a request in the same batch is dropped', [{ id: 1, method: 'tools/call' }, { method: 'notifications/cancelled', params: { requestId: 1 } }], 1],
    ['a cancellation of another request is kept (nothing to answer for it)', [{ id: 1, method: 'tools/call' }, { method: 'notifications/cancelled', params: { requestId: 2 } }], 2],
    ['a string id is not the number id', [{ id: 1, method: 'tools/call' }, { method: 'notifications/cancelled', params: { requestId: '1' } }], 2],
  ])('%s', (_name, batch, kept) => {
    expect(withoutSelfCancellations(batch)).toHaveLength(kept);
  });
});

describe('a request the SDK never answers still gets an answer, bounded in time (either era)', () => {
  const stuckServer = () => {
    const server = new McpServer({ name: 'stuck', version: '0' });
    server.registerTool('stuck', { description: 'never returns' }, () => new Promise(() => {}));
    return server;
  };
  const post = (message: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(message);
    const request = new Request('http://localhost:8001/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: text,
    });
    return { request, body: { text, json: { ok: true as const, value: message } } };
  };

  it.each([
    ['2025-11-25', post(rpc.callTool('stuck'))],
    ['2026-07-28', post(modern('tools/call', { name: 'stuck', arguments: {} }), modernHeaders('tools/call', 'stuck'))],
  ])('%s: a tool that never returns gets 503 with a JSON-RPC -32603 error after the deadline', async (_era, { request, body }) => {
    const serve = createProtocolEras(() => {}, { legacyDeadlineMs: 100, createServer: stuckServer });
    const res = await serve(request, body, { token: 't', clientId: 'c', scopes: [] });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32603 }, id: null });
  });
});
