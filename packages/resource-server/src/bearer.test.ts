/**
 * RFC 6750 §2.1 / §3 / §3.1 and MCP "Token Requirements": how the token may travel, and the
 * challenge for each way it may not. Every row asserts the status, the exact challenge
 * parameters and the body's error code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSetup, mcpRequest, parseChallenge, rpc, TEST_PRM_URL, TEST_RESOURCE } from '../testing/index.ts';

let setup: Awaited<ReturnType<typeof createTestSetup>>;
let valid: string;
beforeAll(async () => {
  setup = await createTestSetup();
  valid = await setup.as.mint();
});

interface Case {
  headers?: Record<string, string>;
  url?: string;
  body?: string;
}

const NO_ERROR = { scope: 'mcp:connect', resource_metadata: TEST_PRM_URL };
const INVALID_REQUEST = { error: 'invalid_request', error_description: expect.any(String), ...NO_ERROR };

const rows: [name: string, request: () => Case, status: number, params: Record<string, unknown>, bodyError: string | undefined][] = [
  ['no Authorization header', () => ({}), 401, NO_ERROR, undefined],
  ['Authorization: Basic … (another scheme: no bearer token)', () => ({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, NO_ERROR, undefined],
  ['"Bearer" with no token', () => ({ headers: { authorization: 'Bearer' } }), 400, INVALID_REQUEST, 'invalid_request'],
  ['two tokens in one header', () => ({ headers: { authorization: `Bearer ${valid} ${valid}` } }), 400, INVALID_REQUEST, 'invalid_request'],
  ['two Authorization headers (joined by a comma)', () => ({ headers: { authorization: `Bearer ${valid}, Bearer ${valid}` } }), 400, INVALID_REQUEST, 'invalid_request'],
  ['a token that is not a b64token', () => ({ headers: { authorization: 'Bearer {"not":"a token"}' } }), 400, INVALID_REQUEST, 'invalid_request'],
  ['the token in the query string', () => ({ url: `${TEST_RESOURCE}?access_token=${valid}` }), 400, INVALID_REQUEST, 'invalid_request'],
  [
    'the token in the query string AND the header (more than one method)',
    () => ({ url: `${TEST_RESOURCE}?access_token=${valid}`, headers: { authorization: `Bearer ${valid}` } }),
    400,
    INVALID_REQUEST,
    'invalid_request',
  ],
  [
    'the token in a form-encoded body',
    () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_token=${valid}` }),
    400,
    INVALID_REQUEST,
    'invalid_request',
  ],
];

describe('RFC 6750: the token travels only in the Authorization header', () => {
  it.each(rows)('%s', async (_name, makeCase, status, params, bodyError) => {
    const { headers = {}, url, body } = makeCase();
    const res = await mcpRequest(setup.app, body ?? rpc.initialize(), { headers, ...(url ? { url } : {}) });

    expect(res.status).toBe(status);
    expect(parseChallenge(res.headers.get('www-authenticate'))).toEqual({ scheme: 'bearer', params });
    const json = (await res.json()) as Record<string, unknown>;
    expect(json.error).toBe(bodyError);
    expect(json.error_description).toEqual(expect.any(String));
  });

  it('two Authorization header fields appended separately are refused too', async () => {
    const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
    headers.append('authorization', `Bearer ${valid}`);
    headers.append('authorization', `Bearer ${valid}`);
    const res = await setup.app.request(TEST_RESOURCE, { method: 'POST', headers, body: JSON.stringify(rpc.initialize()) });
    expect(res.status).toBe(400);
    expect(parseChallenge(res.headers.get('www-authenticate'))?.params.error).toBe('invalid_request');
  });

  it.each([
    ['Bearer', 'Bearer'],
    ['bearer (the scheme is case-insensitive)', 'bearer'],
  ])('a valid token with the scheme written "%s" is accepted', async (_name, scheme) => {
    const res = await mcpRequest(setup.app, rpc.initialize(), { headers: { authorization: `${scheme} ${valid}` } });
    expect(res.status).toBe(200);
  });

  it('the no-token challenge is traced with the exact header and no error code', async () => {
    setup.events.length = 0;
    const res = await mcpRequest(setup.app, rpc.initialize());
    const [event] = setup.eventsOf('request.rejected');
    expect(event).toMatchObject({ status: 401, error: '(no error code)', www_authenticate: res.headers.get('www-authenticate') });
    expect(setup.eventsOf('token.rejected')).toEqual([]);
  });
});
