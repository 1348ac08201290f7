/**
 * RFC 9068 §4 / RFC 8707 / RFC 8725: every way an access token can be wrong is a 401
 * `invalid_token` challenge, and the trace names the check that refused it, so each row fails
 * if its check were removed (the token would be accepted, or refused for another reason).
 */
import { SignJWT, base64url } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestKey,
  createTestSetup,
  mcpRequest,
  parseChallenge,
  rpc,
  TEST_ISSUER,
  TEST_PRM_URL,
  TEST_RESOURCE,
  type TestAuthorizationServer,
} from '../testing/index.ts';
import type { InvalidTokenReason } from './verify-access-token.ts';

let setup: Awaited<ReturnType<typeof createTestSetup>>;
beforeAll(async () => {
  setup = await createTestSetup();
});
beforeEach(() => {
  setup.events.length = 0;
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

function validClaims(as: TestAuthorizationServer): Record<string, unknown> {
  const iat = nowSeconds();
  return { iss: as.issuer, sub: 'alice', aud: TEST_RESOURCE, client_id: 'c', scope: 'mcp:connect', iat, exp: iat + 300, jti: 'j' };
}

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

type Row = [name: string, token: (as: TestAuthorizationServer) => Promise<string>, reason: InvalidTokenReason];

const rejected: Row[] = [
  ['alg "none" (an unsigned JWT, crafted by hand)', async (as) => `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(validClaims(as))}.`, 'alg_not_allowed'],
  [
    'HS256 with the public key as the HMAC secret (algorithm confusion)',
    async (as) =>
      new SignJWT(validClaims(as))
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: as.signingKey.kid })
        .sign(new TextEncoder().encode(as.signingKey.publicPem)),
    'alg_not_allowed',
  ],
  [
    'tampered payload (scope widened after signing)',
    async (as) => {
      const [header, , signature] = (await as.mint({ claims: { scope: 'mcp:connect' } })).split('.');
      return `${header}.${encode({ ...validClaims(as), scope: 'mcp:connect weather:read' })}.${signature}`;
    },
    'bad_signature',
  ],
  ['signed by a key not in the JWKS, reusing its kid', async (as) => as.mint({ key: await createTestKey(as.signingKey.kid) }), 'bad_signature'],
  ['signed by a key not in the JWKS, with an unknown kid', async (as) => as.mint({ key: await createTestKey('attacker-key') }), 'unknown_key'],
  ['typ "JWT" (not an access token)', (as) => as.mint({ header: { typ: 'JWT' } }), 'wrong_typ'],
  ['no typ at all', (as) => as.mint({ header: { typ: undefined } }), 'wrong_typ'],
  ['iss of another authorization server', (as) => as.mint({ claims: { iss: 'http://localhost:9999' } }), 'wrong_issuer'],
  ['aud of another resource', (as) => as.mint({ claims: { aud: 'http://localhost:8002/mcp' } }), 'wrong_audience'],
  ['aud = the bare origin (a client that sent no resource)', (as) => as.mint({ claims: { aud: 'http://localhost:8001' } }), 'wrong_audience'],
  ['aud with a trailing slash (not the exact canonical URI)', (as) => as.mint({ claims: { aud: `${TEST_RESOURCE}/` } }), 'wrong_audience'],
  ['aud naming this server and another one', (as) => as.mint({ claims: { aud: [TEST_RESOURCE, 'http://localhost:8002/mcp'] } }), 'wrong_audience'],
  ['expired beyond the clock tolerance', (as) => as.mint({ claims: { iat: nowSeconds() - 600, exp: nowSeconds() - 120 } }), 'expired'],
  ['not yet valid (nbf beyond the clock tolerance)', (as) => as.mint({ claims: { nbf: nowSeconds() + 120 } }), 'not_yet_valid'],
  ['missing sub', (as) => as.mint({ claims: { sub: undefined } }), 'missing_claim'],
  ['missing client_id', (as) => as.mint({ claims: { client_id: undefined } }), 'missing_claim'],
  ['missing exp', (as) => as.mint({ claims: { exp: undefined } }), 'missing_claim'],
  ['missing jti', (as) => as.mint({ claims: { jti: undefined } }), 'missing_claim'],
  ['scope as an array instead of a string', (as) => as.mint({ claims: { scope: ['mcp:connect'] } }), 'invalid_claim'],
  ['empty sub', (as) => as.mint({ claims: { sub: '' } }), 'invalid_claim'],
  ['not a JWT at all', async () => 'abc.def', 'malformed'],
];

describe('RFC 9068 §4: a bad access token is refused with 401 invalid_token', () => {
  it.each(rejected)('%s', async (_name, makeToken, reason) => {
    const res = await mcpRequest(setup.app, rpc.initialize(), { token: await makeToken(setup.as) });

    expect(res.status).toBe(401);
    const header = res.headers.get('www-authenticate');
    expect(parseChallenge(header)).toEqual({
      scheme: 'bearer',
      params: { error: 'invalid_token', error_description: expect.any(String), scope: 'mcp:connect', resource_metadata: TEST_PRM_URL },
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.error).toBe('invalid_token');
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);

    expect(setup.eventsOf('token.rejected').map((event) => event.reason)).toEqual([reason]);
    expect(setup.eventsOf('token.accepted')).toEqual([]);
    expect(setup.eventsOf('request.rejected').map((event) => event.www_authenticate)).toEqual([header]);
  });
});

describe('RFC 9068 §4: a good access token is accepted', () => {
  const accepted: [string, (as: TestAuthorizationServer) => Promise<string>][] = [
    ['typ at+jwt', (as) => as.mint()],
    ['typ application/at+jwt', (as) => as.mint({ header: { typ: 'application/at+jwt' } })],
    ['aud as a one-element array', (as) => as.mint({ claims: { aud: [TEST_RESOURCE] } })],
    ['expired 10 s ago, within the 30 s clock tolerance', (as) => as.mint({ claims: { iat: nowSeconds() - 300, exp: nowSeconds() - 10 } })],
  ];

  it.each(accepted)('%s', async (_name, makeToken) => {
    const res = await mcpRequest(setup.app, rpc.initialize(), { token: await makeToken(setup.as) });
    expect(res.status).toBe(200);
    const [event] = setup.eventsOf('token.accepted');
    expect(event?.claims).toMatchObject({ iss: TEST_ISSUER, sub: 'alice', client_id: expect.any(String) });
  });

  it('a clock tolerance of 0 refuses the token that expired 10 s ago', async () => {
    const strict = await createTestSetup({ clockToleranceSeconds: 0 });
    const token = await strict.as.mint({ claims: { iat: nowSeconds() - 300, exp: nowSeconds() - 10 } });
    const res = await mcpRequest(strict.app, rpc.initialize(), { token });
    expect(res.status).toBe(401);
    expect(strict.eventsOf('token.rejected').map((event) => event.reason)).toEqual(['expired']);
  });
});
