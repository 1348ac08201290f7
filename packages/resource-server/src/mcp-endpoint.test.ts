/**
 * The MCP endpoint after authentication (MCP transports, Streamable HTTP): whatever a client
 * sends, the answer is the SDK's JSON-RPC error or tool error, never a 500, never a stack trace.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from './app.ts';
import { createTestSetup, mcpRequest, parseChallenge, rpc, TEST_RESOURCE } from '../testing/index.ts';

let setup: Awaited<ReturnType<typeof createTestSetup>>;
let token: string;
beforeAll(async () => {
  setup = await createTestSetup();
  token = await setup.as.mint();
});

const STACK_TRACE = /\bat .*\.(ts|js|mjs):\d+|node:internal/;

describe('bad JSON-RPC with a valid token: a JSON-RPC error, status < 500', () => {
  // What the MCP SDK 1.32 answers in each case; the auth layer must not change it into a 500.
  const rows: [name: string, body: string, status: number, expected: Record<string, unknown>][] = [
    ['malformed JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', 400, { error: { code: -32700, message: expect.stringContaining('Parse error') } }],
    ['an empty body', '', 400, { error: { code: -32700, message: expect.stringContaining('Parse error') } }],
    ['JSON that is not a JSON-RPC message', '{"hello": "world"}', 400, { error: { code: -32700, message: expect.stringContaining('Invalid JSON-RPC') } }],
    ['JSON null', 'null', 400, { error: { code: -32700, message: expect.any(String) } }],
    ['an unknown method', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'no/such' }), 200, { error: { code: -32601, message: 'Method not found' } }],
    ['tools/call without params', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call' }), 200, { error: { code: expect.any(Number), message: expect.any(String) } }],
    // The SDK reports these two as tool execution errors (isError), as MCP 2025-11-25 asks for input validation errors.
    ['an unknown tool', JSON.stringify(rpc.callTool('no_such_tool')), 200, { result: { isError: true, content: [{ type: 'text', text: expect.stringContaining('not found') }] } }],
    ['bad arguments (city is a number)', JSON.stringify(rpc.callTool('get_weather', { city: 42 })), 200, { result: { isError: true, content: [{ type: 'text', text: expect.stringContaining('Input validation error') }] } }],
    ['bad arguments (city missing)', JSON.stringify(rpc.callTool('get_weather', {})), 200, { result: { isError: true, content: [{ type: 'text', text: expect.stringContaining('Input validation error') }] } }],
    ['bad arguments (city empty)', JSON.stringify(rpc.callTool('get_weather', { city: '   ' })), 200, { result: { isError: true, content: [{ type: 'text', text: expect.stringContaining('Input validation error') }] } }],
  ];

  it.each(rows)('%s', async (_name, body, status, expected) => {
    const res = await mcpRequest(setup.app, body, { token });
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ jsonrpc: '2.0', ...expected });
    expect(text).not.toMatch(STACK_TRACE);
  });

  it('a body that is not JSON still needs a valid token (authentication comes first)', async () => {
    const res = await mcpRequest(setup.app, '{not json');
    expect(res.status).toBe(401);
    expect(parseChallenge(res.headers.get('www-authenticate'))?.params.scope).toBe('mcp:connect');
  });
});

describe('Streamable HTTP transport rules', () => {
  it('a notification is accepted with 202 and no body', async () => {
    const res = await mcpRequest(setup.app, { jsonrpc: '2.0', method: 'notifications/initialized' }, { token });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
  });

  it.each(['GET', 'DELETE'])('%s with a valid token is 405 (stateless: no stream, no session)', async (method) => {
    const res = await mcpRequest(setup.app, undefined, { token, method, headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
  });

  it('GET without a token is challenged first ("authorization MUST be included in every HTTP request")', async () => {
    const res = await mcpRequest(setup.app, undefined, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(401);
    expect(parseChallenge(res.headers.get('www-authenticate'))?.params.scope).toBe('mcp:connect');
  });

  it('a POST that does not accept both JSON and SSE gets the SDK 406', async () => {
    const res = await mcpRequest(setup.app, rpc.initialize(), { token, headers: { accept: 'application/json' } });
    expect(res.status).toBe(406);
  });

  it('a body over the size bound is 413, before anything else reads it', async () => {
    const acceptedBefore = setup.eventsOf('token.accepted').length;
    const res = await mcpRequest(setup.app, 'x'.repeat(MAX_REQUEST_BODY_BYTES + 1), { token });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    expect(setup.eventsOf('request.rejected').at(-1)).toMatchObject({ status: 413 });
    expect(setup.eventsOf('token.accepted').length).toBe(acceptedBefore);
  });

  it('each request is served by its own MCP server (stateless): tools/call works without initialize', async () => {
    const res = await mcpRequest(setup.app, rpc.callTool('whoami'), { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
  });
});

describe('one error path: every refusal is answered and traced once, by app.onError', () => {
  it.each([
    ['a foreign Origin', () => mcpRequest(setup.app, rpc.initialize(), { token, headers: { origin: 'http://evil.example' } }), 403, 'forbidden_origin'],
    ['GET on the stateless endpoint', () => mcpRequest(setup.app, undefined, { token, method: 'GET', headers: { accept: 'text/event-stream' } }), 405, 'method_not_allowed'],
    ['a body over the bound', () => mcpRequest(setup.app, 'x'.repeat(MAX_REQUEST_BODY_BYTES + 1), { token }), 413, 'payload_too_large'],
    ['a path that serves nothing', () => setup.app.request(new URL('/nothing-here', TEST_RESOURCE).href), 404, 'not_found'],
    ['no token', () => mcpRequest(setup.app, rpc.initialize()), 401, '(no error code)'],
  ])('%s: one request.rejected event that matches the answer', async (_name, send, status, error) => {
    setup.events.length = 0;
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(setup.eventsOf('request.rejected')).toEqual([expect.objectContaining({ status, error })]);
  });
});

describe('errors outside the MCP endpoint', () => {
  it.each(['/nothing-here', '/mcp/', '/.well-known/oauth-protected-resource'])('%s is a JSON 404', async (path) => {
    const res = await setup.app.request(new URL(path, TEST_RESOURCE).href);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  it('an unexpected failure is a 500 server_error that says nothing about its cause', async () => {
    const broken = await createTestSetup({
      onEvent: (event) => {
        if (event.kind === 'token.accepted') throw new Error('secret internal detail');
      },
    });
    const res = await mcpRequest(broken.app, rpc.initialize(), { token: await broken.as.mint() });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'server_error', error_description: expect.any(String) });
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toMatch(STACK_TRACE);
  });
});
