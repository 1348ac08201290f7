/**
 * The grading facility (grading-tokens.ts, a named deviation off by default): the holder of a
 * valid token gets its expired twin or its twin for another resource this AS issues for, and
 * nothing else; refusals are the one OAuthError (401 invalid_token with a Bearer challenge,
 * 400 invalid_request / invalid_target), never a 500. Also the list of resources the AS issues
 * for (`--resource URL`): a token for an own server, RFC 8707 §2 for each entry.
 */
import { GRADING_TOKENS_PATH } from '@mcp-auth-demo/common';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createHarness, ISSUER, obtainCode, RESOURCE, requestToken, STACK_FRAME, testSigningKey, tokenFields, type Harness } from '../../testing/index.ts';
import { createAuthorizationServer } from '../app.ts';

const OWN = 'http://localhost:38101/mcp';

async function issueToken(h: Harness, resource = RESOURCE): Promise<string> {
  const code = await obtainCode(h, { resource });
  const response = await requestToken(h, tokenFields(code, { resource }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function twin(h: Harness, body: string, token?: string) {
  return h.app.request(`${ISSUER}${GRADING_TOKENS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(token && { authorization: `Bearer ${token}` }) },
    body,
  });
}

const grading = () => createHarness({ config: { resources: [RESOURCE, OWN], dangerouslyMintGradingTokens: true } });

describe('--resource URL: the AS issues tokens for an own MCP server too (RFC 8707 §2)', () => {
  it('a token requested for the own server has aud = that server', async () => {
    const h = await createHarness({ config: { resources: [RESOURCE, OWN] } });
    expect(decodeJwt(await issueToken(h, OWN)).aud).toBe(OWN);
  });

  it('a resource not in the list is refused with invalid_target, as before', async () => {
    const h = await createHarness({ config: { resources: [RESOURCE, OWN] } });
    const response = await requestToken(h, tokenFields(await obtainCode(h), { resource: 'http://localhost:38102/mcp' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_target' });
  });

  it.each([
    ['RFC 8707 §2: MUST NOT include a fragment', 'http://localhost:38101/mcp#frag', /fragment/],
    ['RFC 8707 §2: MUST be an absolute URI', 'localhost-38101/mcp', /not an absolute URI/],
  ])('%s: the config is refused when the AS is built', async (_rule, resource, message) => {
    const signingKey = await testSigningKey();
    expect(() => createAuthorizationServer({ issuer: ISSUER, resources: [RESOURCE, resource], signingKey, dangerouslyAllowLoopbackHttp: true })).toThrow(message);
  });
});

describe('the grading facility: twins of a held token', () => {
  it('case=expired: the same subject, client and audience, exp in the past, no-store', async () => {
    const h = await grading();
    const token = await issueToken(h);
    const held = decodeJwt(token);
    const response = await twin(h, 'case=expired', token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string };
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ iss: ISSUER, sub: held.sub, client_id: held.client_id, aud: RESOURCE });
    expect(claims.exp! * 1000).toBeLessThan(Date.UTC(2025, 10, 25, 12, 0, 0));
    expect(claims.jti).not.toBe(held.jti);
  });

  it('case=other-audience: the AS picks another resource it issues for, never the caller', async () => {
    const h = await grading();
    const response = await twin(h, `case=other-audience&resource=${encodeURIComponent('http://evil.example/mcp')}`, await issueToken(h));
    expect(response.status).toBe(200);
    expect(decodeJwt(((await response.json()) as { access_token: string }).access_token).aud).toBe(OWN);
  });

  it.each([
    ['RFC 6750 §3.1: no token', 'case=expired', undefined, 401, 'invalid_token'],
    ['RFC 6750 §3.1: a token that is not this AS\'s', 'case=expired', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 401, 'invalid_token'],
    ['an unknown case', 'case=forever', 'VALID', 400, 'invalid_request'],
    ['no case', '', 'VALID', 400, 'invalid_request'],
  ])('%s → %i %s', async (_rule, body, token, status, error) => {
    const h = await grading();
    const response = await twin(h, body, token === 'VALID' ? await issueToken(h) : token);
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error });
    expect(text).not.toMatch(STACK_FRAME);
    if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('RFC 8707 §2: with no other resource to name, other-audience is invalid_target', async () => {
    const h = await createHarness({ config: { dangerouslyMintGradingTokens: true } });
    const response = await twin(h, 'case=other-audience', await issueToken(h));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_target' });
  });

  it('off by default: the path is not served', async () => {
    const h = await createHarness({ config: { resources: [RESOURCE, OWN] } });
    expect((await twin(h, 'case=expired', await issueToken(h))).status).toBe(404);
  });

  it('loopback issuer only: the config is refused for any other issuer', async () => {
    const signingKey = await testSigningKey();
    expect(() => createAuthorizationServer({ issuer: 'https://as.example.com', resources: ['https://mcp.example.com/mcp'], signingKey, dangerouslyAllowLoopbackHttp: false, dangerouslyMintGradingTokens: true })).toThrow(/loopback/);
  });
});
