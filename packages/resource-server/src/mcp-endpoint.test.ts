/**
 * The MCP endpoint after authentication (MCP transports, Streamable HTTP): whatever a client
 * sends, the answer is the SDK's JSON-RPC error or tool error, never a 500, never a stack trace.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from './request-body.ts';
import { createTestSetup, mcpRequest, parseChallenge, rpc, TEST_RESOURCE } from '../testing/index.ts';

let setup: Awaited<ReturnType<typeof createTestSetup>>;
let token: string;
beforeAll(async () => {
  setup = await createTestSetup();
  token = await setup.as.mint();
});

const STACK_TRACE = /\bat .*\.(ts|js|mjs):\d+|node:internal/;

describe('bad JSON-RPC with a valid token: a JSON-RPC error, status < 500', () => {
  // What the MCP SDK (v2, 2025-11-25 leg) answers in each case; the auth layer must not change it into a 500.
  const rows: [name: string, body: string, status: number, expected: Record<string, unknown>][] = [
    ['malformed JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', 400, { error: { code: -32700, message: expect.stringContaining('Parse error') } }],
    ['an empty body', '', 400, { error: { code: -32700, message: expect.stringContaining('Parse error') } }],
    // JSON-RPC 2.0 §5.1: valid JSON that is not a Request object is -32600 Invalid Request.
    ['JSON that is not a JSON-RPC message', '{"hello": "world"}', 400, { error: { code: -32600, message: expect.stringContaining('not a valid JSON-RPC message') } }],
    ['JSON null', 'null', 400, { error: { code: -32600, message: expect.any(String) } }],
    ['an unknown method', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'no/such' }), 200, { error: { code: -32601, message: 'Method not found' } }],
    ['tools/call without params', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call' }), 200, { error: { code: expect.any(Number), message: expect.any(String) } }],
    // MCP tools, "Error Handling": an unknown tool is a protocol error (-32602, the spec's own example).
    ['an unknown tool', JSON.stringify(rpc.callTool('no_such_tool')), 200, { error: { code: -32602, message: expect.stringContaining('not found') } }],
    // Input validation errors are tool execution errors (isError), as MCP 2025-11-25 asks.
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

  it('a declared Content-Length over the bound is 413 from the header alone, before authentication', async () => {
    const acceptedBefore = setup.eventsOf('token.accepted').length;
    const res = await mcpRequest(setup.app, '{}', { token, headers: { 'content-length': String(MAX_REQUEST_BODY_BYTES + 1) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    expect(setup.eventsOf('request.rejected').at(-1)).toMatchObject({ status: 413, error: 'payload_too_large' });
    expect(setup.eventsOf('token.accepted').length).toBe(acceptedBefore);
  });

  it('an authenticated body with no declared length is read only up to the bound, then 413', async () => {
    const body = countingBody(MAX_REQUEST_BODY_BYTES * 2);
    const res = await setup.app.request(TEST_RESOURCE, streamedPost(body.stream, { authorization: `Bearer ${token}` }));
    expect(res.status).toBe(413);
    expect(body.bytesRead()).toBeGreaterThan(MAX_REQUEST_BODY_BYTES);
    expect(body.bytesRead()).toBeLessThanOrEqual(MAX_REQUEST_BODY_BYTES + CHUNK_BYTES);
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

const CHUNK_BYTES = 64 * 1024;

/** A request body that hands out chunks only when read, and counts what was read. */
function countingBody(totalBytes: number) {
  let sent = 0;
  const chunk = new TextEncoder().encode(' '.repeat(CHUNK_BYTES));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= totalBytes) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    // highWaterMark 0: nothing is pulled ahead; a chunk leaves only when someone reads it.
    { highWaterMark: 0 },
  );
  return { stream, bytesRead: () => sent };
}

function streamedPost(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
    duplex: 'half',
  } as RequestInit;
}

describe('hardening: the Authorization header is checked before the body is read (issue 8 item 6)', () => {
  it.each([
    ['no Authorization header', {}, 401, undefined],
    ['another scheme (Basic)', { authorization: 'Basic dXNlcjpwYXNz' }, 401, undefined],
    ['a malformed Bearer header', { authorization: 'Bearer' }, 400, 'invalid_request'],
    ['a token that does not verify', { authorization: 'Bearer not.a.jwt' }, 401, 'invalid_token'],
  ])('%s: a 4 MB JSON body is answered from the headers, and not one byte of it is read', async (_name, headers, status, error) => {
    const body = countingBody(MAX_REQUEST_BODY_BYTES);
    const res = await setup.app.request(TEST_RESOURCE, streamedPost(body.stream, headers));
    expect(res.status).toBe(status);
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    expect(challenge?.params).toMatchObject({ scope: 'mcp:connect', ...(error ? { error } : {}) });
    expect(body.bytesRead()).toBe(0);
  });

  it('the same request with a valid token is read and served (the counting body is readable)', async () => {
    const message = new TextEncoder().encode(JSON.stringify(rpc.callTool('whoami')));
    let read = 0;
    const stream = new ReadableStream<Uint8Array>({ pull(controller) { read += message.byteLength; controller.enqueue(message); controller.close(); } }, { highWaterMark: 0 });
    const res = await setup.app.request(TEST_RESOURCE, streamedPost(stream, { authorization: `Bearer ${token}` }));
    expect(res.status).toBe(200);
    expect(read).toBe(message.byteLength);
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
