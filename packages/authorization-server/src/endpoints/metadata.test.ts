import { describe, expect, it } from 'vitest';
import { createAuthorizationServer } from '../app.ts';
import { createHarness, ISSUER, RESOURCE, testSigningKey } from '../../testing/index.ts';

describe('RFC 8414 metadata', () => {
  it('is served at /.well-known/oauth-authorization-server with every field this server relies on', async () => {
    const h = await createHarness();
    const response = await h.app.request(`${ISSUER}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
      registration_endpoint: `${ISSUER}/register`,
      scopes_supported: ['mcp:connect', 'weather:read'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('lets browser-based clients read it (CORS)', async () => {
    const h = await createHarness();
    const response = await h.app.request(`${ISSUER}/.well-known/oauth-authorization-server`, { headers: { Origin: 'http://localhost:6274' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('every endpoint it advertises answers on that path (routes are derived from the document)', async () => {
    const h = await createHarness();
    const { metadata } = h.app;
    expect((await h.app.request(metadata.jwks_uri)).status).toBe(200);
    // No parameters: an OAuth error from the endpoint itself, not a 404.
    const authorize = await h.app.request(metadata.authorization_endpoint);
    expect(authorize.status).toBe(400);
    expect(await authorize.json()).toMatchObject({ error: 'invalid_request' });
    const token = await h.app.request(metadata.token_endpoint, { method: 'POST' });
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({ error: 'invalid_request' });
    const registration = await h.app.request(String(metadata.registration_endpoint), { method: 'POST' });
    expect(registration.status).toBe(400);
    expect(await registration.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('an issuer with a path gets the path-inserted well-known URI and endpoints below it (RFC 8414 §3.1)', async () => {
    const issuer = 'http://localhost:9000/tenant1';
    const app = createAuthorizationServer({ issuer, resources: [RESOURCE], signingKey: await testSigningKey(), dangerouslyAllowLoopbackHttp: true });
    const response = await app.request('http://localhost:9000/.well-known/oauth-authorization-server/tenant1');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ issuer, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` });
    expect((await app.request(`${issuer}/jwks`)).status).toBe(200);
    expect((await app.request('http://localhost:9000/.well-known/oauth-authorization-server')).status).toBe(404);
  });

  it('does not pretend to be an OpenID Provider: no /.well-known/openid-configuration', async () => {
    const h = await createHarness();
    const response = await h.app.request(`${ISSUER}/.well-known/openid-configuration`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
