import { createEmitter } from '@mcp-auth-demo/trace';
import { inProcessFetch } from '@mcp-auth-demo/common/testing';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { authorize, type AuthorizationRequest } from './authorize.ts';
import type { AuthorizationServerMetadata } from './discovery.ts';
import type { ClientCredentials } from './registration.ts';
import { headlessUserAgent, type AuthorizationOutcome, type UserAgent } from './user-agent.ts';

const AS = 'http://as.localhost:9000';
const REDIRECT = 'http://localhost:3000/callback';
const RESOURCE = 'http://localhost:8001/mcp';

type Redirect = (params: URLSearchParams) => Record<string, string>;

/**
 * The fake AS's own PKCE check (RFC 7636 §4.6), written apart from the client's helper so the
 * test does not only agree with itself; the Appendix B vector below proves this check right.
 */
async function verifierMatchesS256(verifier: string, challenge: string | null | undefined): Promise<boolean> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return Buffer.from(digest).toString('base64url') === challenge;
}

describe("the fake AS's PKCE check", () => {
  it('accepts the RFC 7636 Appendix B example and refuses a wrong verifier', async () => {
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(await verifierMatchesS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge)).toBe(true);
    expect(await verifierMatchesS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl', challenge)).toBe(false);
  });
});

/**
 * A foreign authorization server: /authorize redirects as `redirect` says, /token checks PKCE
 * against the challenge it saw, and both record what they received.
 */
function fakeAuthorizationServer(
  redirect: Redirect = (p) => ({ code: 'c0de', state: p.get('state')!, iss: AS }),
  tokenError?: { error: string; error_description: string },
) {
  const seen: { authorize?: URLSearchParams; token?: URLSearchParams; authorization?: string | undefined } = {};
  const app = new Hono();
  app.get('/authorize', (c) => {
    const params = new URL(c.req.url).searchParams;
    seen.authorize = params;
    const location = new URL(REDIRECT);
    for (const [k, v] of Object.entries(redirect(params))) location.searchParams.set(k, v);
    return c.redirect(location.href, 302);
  });
  app.post('/token', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    seen.token = form;
    seen.authorization = c.req.header('authorization');
    if (tokenError) return c.json(tokenError, 400);
    if (!(await verifierMatchesS256(form.get('code_verifier') ?? '', seen.authorize?.get('code_challenge')))) {
      return c.json({ error: 'invalid_grant', error_description: 'PKCE verification failed' }, 400);
    }
    return c.json({ access_token: 'opaque-token', token_type: 'Bearer', expires_in: 60, scope: seen.authorize!.get('scope') });
  });
  return { app, seen };
}

const metadata: AuthorizationServerMetadata = {
  issuer: AS,
  authorization_endpoint: `${AS}/authorize`,
  token_endpoint: `${AS}/token`,
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
};
const publicClient: ClientCredentials = { client_id: 'http://localhost:3000/client-metadata.json', token_endpoint_auth_method: 'none' };

function run(app: Hono, overrides: Partial<AuthorizationRequest> = {}) {
  const ctx = { fetch: inProcessFetch({ [AS]: app }), emit: createEmitter('client', undefined) };
  return authorize({ metadata, client: publicClient, redirectUri: REDIRECT, resource: RESOURCE, scope: 'mcp:connect', ...overrides }, ctx);
}

describe('authorization code grant with PKCE (OAuth 2.1 §4.1, RFC 7636, RFC 8707)', () => {
  it('sends PKCE S256, state, resource and scope, then redeems the code with the verifier and the same resource', async () => {
    const as = fakeAuthorizationServer();
    const tokens = await run(as.app);
    expect(tokens).toEqual({ access_token: 'opaque-token', scopes: ['mcp:connect'], expires_in: 60 });
    const a = as.seen.authorize!;
    expect(a.get('response_type')).toBe('code');
    expect(a.get('code_challenge_method')).toBe('S256');
    expect(a.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.get('state')!.length).toBeGreaterThanOrEqual(16);
    expect(a.get('resource')).toBe(RESOURCE);
    expect(as.seen.token!.get('resource')).toBe(RESOURCE);
    expect(as.seen.token!.get('redirect_uri')).toBe(REDIRECT);
    expect(as.seen.token!.get('client_id')).toBe(publicClient.client_id);
    expect(as.seen.authorization).toBeUndefined();
  });

  it('omits scope when there is none to ask for', async () => {
    const as = fakeAuthorizationServer();
    await run(as.app, { scope: undefined });
    expect(as.seen.authorize!.has('scope')).toBe(false);
  });

  it.each([
    ['client_secret_basic', { authorization: `Basic ${Buffer.from('id%3A1:s%26cret').toString('base64')}`, client_id: null, client_secret: null }],
    ['client_secret_post', { authorization: undefined, client_id: 'id:1', client_secret: 's&cret' }],
  ] as const)('authenticates a confidential client with %s', async (method, expected) => {
    const as = fakeAuthorizationServer();
    await run(as.app, { client: { client_id: 'id:1', client_secret: 's&cret', token_endpoint_auth_method: method } });
    expect(as.seen.authorization).toBe(expected.authorization);
    expect(as.seen.token!.get('client_id')).toBe(expected.client_id);
    expect(as.seen.token!.get('client_secret')).toBe(expected.client_secret);
  });

  it.each<[string, Redirect, RegExp]>([
    ['a different state (RFC 6749 §10.12)', () => ({ code: 'c', state: 'forged', iss: AS }), /the state we sent/],
    ['no state', () => ({ code: 'c', iss: AS }), /the state we sent/],
    ['another issuer (RFC 9207 mix-up defence)', (p) => ({ code: 'c', state: p.get('state')!, iss: 'http://evil' }), /RFC 9207/],
    ['no iss although the AS advertises it', (p) => ({ code: 'c', state: p.get('state')!, }), /RFC 9207/],
    ['an error under a forged state (state is checked first)', () => ({ error: 'access_denied', state: 'forged', iss: AS }), /the state we sent/],
    ['an error', (p) => ({ error: 'access_denied', error_description: 'user said no', state: p.get('state')!, iss: AS }), /access_denied \("user said no"\): access was not granted/],
    ['no code', (p) => ({ state: p.get('state')!, iss: AS }), /a code/],
  ])('discards a redirect with %s and never redeems it', async (_, redirect, message) => {
    const as = fakeAuthorizationServer(redirect);
    await expect(run(as.app)).rejects.toThrow(message);
    expect(as.seen.token).toBeUndefined();
  });

  it('says a person is needed when the AS answers with a page instead of a redirect', async () => {
    const app = new Hono().get('/authorize', (c) => c.html('<form>log in</form>'));
    await expect(run(app)).rejects.toThrow(/cannot show a login or consent page/);
  });

  it('reports a refused token request with the AS error', async () => {
    const as = fakeAuthorizationServer(undefined, { error: 'invalid_grant', error_description: 'code expired' });
    await expect(run(as.app)).rejects.toThrow(/HTTP 400.*invalid_grant/);
  });

  describe('the user agent learns the outcome only after the checks and the token exchange (issue: success shown before the checks)', () => {
    function runReporting(app: Hono) {
      const outcomes: AuthorizationOutcome[] = [];
      const fetch = inProcessFetch({ [AS]: app });
      const userAgent: UserAgent = Object.assign(headlessUserAgent(fetch), { finish: (o: AuthorizationOutcome) => void outcomes.push(o) });
      const ctx = { fetch, emit: createEmitter('client', undefined), userAgent };
      const done = authorize({ metadata, client: publicClient, redirectUri: REDIRECT, resource: RESOURCE, scope: 'mcp:connect' }, ctx);
      return { done, outcomes };
    }

    it.each<[string, Redirect, { tokenError?: { error: string; error_description: string } }, Partial<AuthorizationOutcome>]>([
      ['success, with the scopes granted', (p) => ({ code: 'c0de', state: p.get('state')!, iss: AS }), {}, { ok: true, issuer: AS, scopes: ['mcp:connect'] }],
      ['a forged state: failure, never success', () => ({ code: 'c0de', state: 'forged', iss: AS }), {}, { ok: false, expected: expect.stringContaining('the state we sent') }],
      ['a mix-up (another iss): failure', (p) => ({ code: 'c0de', state: p.get('state')!, iss: 'http://evil' }), {}, { ok: false, expected: expect.stringContaining('RFC 9207') }],
      ['cancel: access_denied with its description', (p) => ({ error: 'access_denied', error_description: 'End-User aborted interaction', state: p.get('state')!, iss: AS }), {},
        { ok: false, error: 'access_denied', error_description: 'End-User aborted interaction' }],
      ['a refused code exchange: failure', (p) => ({ code: 'c0de', state: p.get('state')!, iss: AS }), { tokenError: { error: 'invalid_grant', error_description: 'expired' } },
        { ok: false, received: expect.stringContaining('invalid_grant') }],
    ])('%s', async (_, redirect, options, expected) => {
      const { done, outcomes } = runReporting(fakeAuthorizationServer(redirect, options.tokenError).app);
      await done.catch(() => {});
      expect(outcomes).toEqual([expect.objectContaining(expected)]);
    });
  });
});
