/**
 * Issue 23 §3, the 2026-07-28 path attacked: `server/discover` abuse and era confusion on one
 * endpoint, as a hostile client would send them, with a valid token (so each reaches the MCP
 * layer). The header/body mismatches of "Server Validation" are protocol-eras.test.ts's table.
 *
 * What must hold for every case: a 4xx (or the 2xx the spec gives), a JSON-RPC error with the
 * spec's code or the OAuth error, never a 5xx or a stack trace, and no tool run that the request
 * was not entitled to.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSetup, mcpRequest, META_VERSION, MODERN, modernHeaders, modernRequest } from '../testing/index.ts';

const modern = (method: string, params: Record<string, unknown> = {}, id: unknown = 7) => modernRequest(method, params, { id });
const headersFor = modernHeaders;
const legacyInitialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'hostile', version: '0' } } };
const weather = modern('tools/call', { name: 'get_weather', arguments: { city: 'Oslo' } });

let setup: Awaited<ReturnType<typeof createTestSetup>>;
let token: string;
let baseOnly: string;
beforeAll(async () => {
  setup = await createTestSetup();
  token = await setup.as.mint();
  baseOnly = await setup.as.mint({ claims: { scope: 'mcp:connect' } });
});

type Expected = { status: number; rpc?: number; oauth?: string };
const cases: [attack: string, body: unknown, headers: Record<string, string>, expected: Expected, tokenKind?: 'base'][] = [
  // JSON-RPC batching is gone in 2026-07-28: a batch cannot multiply one request's work.
  ['a batch of 1,000 server/discover requests', Array.from({ length: 1000 }, (_, i) => modern('server/discover', {}, i)), headersFor('server/discover'), { status: 400, rpc: -32600 }],
  ['a batch mixing a 2026-07-28 request with a 2025-11-25 initialize', [modern('server/discover'), legacyInitialize], headersFor('server/discover'), { status: 400, rpc: -32600 }],
  ['a batch hiding get_weather from a token without weather:read', [weather], headersFor('tools/call', 'get_weather'), { status: 403, oauth: 'insufficient_scope' }, 'base'],
  // Era confusion: each era's marks must agree, or the request is refused (-32020 HeaderMismatch).
  ['2026-07-28 headers on a 2025-11-25 initialize', legacyInitialize, { 'mcp-protocol-version': MODERN, 'mcp-method': 'initialize' }, { status: 400, rpc: -32020 }],
  ['2025-11-25 headers on a 2026-07-28 body', modern('tools/call', { name: 'whoami', arguments: {} }), { 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'tools/call', 'mcp-name': 'whoami' }, { status: 400, rpc: -32020 }],
  ['a 2026-07-28 body with no headers at all', modern('tools/call', { name: 'whoami', arguments: {} }), {}, { status: 400, rpc: -32020 }],
  ['two revisions in one MCP-Protocol-Version header', modern('server/discover'), { 'mcp-protocol-version': `${MODERN}, 2025-11-25`, 'mcp-method': 'server/discover' }, { status: 400, rpc: -32020 }],
  ['initialize in 2026-07-28 (there is no handshake)', modern('initialize', { protocolVersion: MODERN, capabilities: {}, clientInfo: { name: 'hostile', version: '0' } }), headersFor('initialize'), { status: 404, rpc: -32601 }],
  // A malformed envelope is the client's error, not the server's.
  ['server/discover with a non-string revision in _meta', { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: { [META_VERSION]: 42 } } }, headersFor('server/discover'), { status: 400, rpc: -32602 }],
  ['server/discover with _meta an array', { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: [1] } }, headersFor('server/discover'), { status: 400, rpc: -32600 }],
  ['server/discover with an object id', { ...modern('server/discover'), id: { a: 1 } }, headersFor('server/discover'), { status: 400, rpc: -32600 }],
  ['server/discover with __proto__ in params', JSON.parse(`{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"__proto__":{"admin":true},"_meta":{"${META_VERSION}":"${MODERN}"}}}`), headersFor('server/discover'), { status: 400, rpc: -32602 }],
  // The tool the scope check reads is the body's, whatever the header's case says.
  ['Mcp-Name in another case than the body\'s tool, with a token without weather:read', weather, headersFor('tools/call', 'GET_WEATHER'), { status: 403, oauth: 'insufficient_scope' }, 'base'],
];

describe('the 2026-07-28 path, attacked: server/discover abuse and era confusion', () => {
  it.each(cases)('%s', async (_attack, body, headers, expected, tokenKind) => {
    const invoked = setup.eventsOf('tool.invoked').length;
    const response = await mcpRequest(setup.app, body, { token: tokenKind === 'base' ? baseOnly : token, headers });
    const text = await response.text();
    expect(response.status).toBe(expected.status);
    expect(text).not.toMatch(/\n\s+at |node_modules/);
    const answer = JSON.parse(text) as { error?: { code: number } | string };
    if (expected.rpc !== undefined) expect(answer.error).toMatchObject({ code: expected.rpc });
    if (expected.oauth !== undefined) {
      expect(answer.error).toBe(expected.oauth);
      expect(response.headers.get('www-authenticate')).toContain(`error="${expected.oauth}"`);
    }
    expect(setup.eventsOf('tool.invoked').length).toBe(invoked);
  });

  it('server/discover with 500 KB of junk params is answered once, as discovery, and runs nothing', async () => {
    const response = await mcpRequest(setup.app, modern('server/discover', { junk: 'x'.repeat(500_000) }), { token, headers: headersFor('server/discover') });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { supportedVersions: string[] } };
    expect(result.supportedVersions).toContain(MODERN);
  });

  it('server/discover sent as a notification gets 202 and no body (nothing to answer)', async () => {
    const { id: _id, ...notification } = modern('server/discover');
    const response = await mcpRequest(setup.app, notification, { token, headers: headersFor('server/discover') });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });
});
