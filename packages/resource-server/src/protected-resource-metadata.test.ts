/**
 * RFC 9728: the metadata document, where it is served (§3.1), that its `resource` is this
 * server (§3.3), and that every challenge points at it (§5.1).
 */
import { describe, expect, it } from 'vitest';
import { protectedResourceMetadataUrl } from './protected-resource-metadata.ts';
import { createTestSetup, mcpRequest, parseChallenge, rpc, TEST_ISSUER, TEST_PRM_URL, TEST_RESOURCE } from '../testing/index.ts';

describe('RFC 9728 §3.1: the well-known URL inserts the suffix between host and path', () => {
  it.each([
    ['http://localhost:8001/mcp', 'http://localhost:8001/.well-known/oauth-protected-resource/mcp'],
    ['https://mcp.example.com/public/mcp', 'https://mcp.example.com/.well-known/oauth-protected-resource/public/mcp'],
    ['https://mcp.example.com:8443/mcp', 'https://mcp.example.com:8443/.well-known/oauth-protected-resource/mcp'],
  ])('%s -> %s', (resource, url) => {
    expect(protectedResourceMetadataUrl(resource)).toBe(url);
  });
});

describe('the Protected Resource Metadata document', () => {
  it('names this resource, its authorization server, its scopes and the header method only', async () => {
    const { app } = await createTestSetup();
    const res = await app.request(TEST_PRM_URL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      resource: TEST_RESOURCE,
      authorization_servers: [TEST_ISSUER],
      scopes_supported: ['mcp:connect', 'weather:read'],
      bearer_methods_supported: ['header'],
      resource_name: 'mcp-auth-demo weather server',
    });
  });

  it('every challenge names the URL where the document is served, and the document names the resource (RFC 9728 §3.3)', async () => {
    const { app } = await createTestSetup();
    const challenge = await mcpRequest(app, rpc.initialize());
    const url = parseChallenge(challenge.headers.get('www-authenticate'))?.params.resource_metadata;
    expect(url).toBe(TEST_PRM_URL);
    const document = (await (await app.request(url!)).json()) as { resource: string };
    expect(document.resource).toBe(TEST_RESOURCE);
  });

  it('follows the resource path: routes and metadata come from the configured resource URI', async () => {
    const resource = 'http://localhost:8001/tenant/mcp';
    const { app, as } = await createTestSetup({ resource }, { resource });
    const prm = await app.request('http://localhost:8001/.well-known/oauth-protected-resource/tenant/mcp');
    expect(((await prm.json()) as { resource: string }).resource).toBe(resource);
    const res = await mcpRequest(app, rpc.initialize(), { url: resource, token: await as.mint() });
    expect(res.status).toBe(200);
    const old = await mcpRequest(app, rpc.initialize(), { token: await as.mint() });
    expect(old.status).toBe(404);
  });

  it('answers a CORS preflight so browser-based clients can discover the authorization server', async () => {
    const { app } = await createTestSetup();
    const res = await app.request(TEST_PRM_URL, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
