import { createEmitter, type TraceEvent } from '@mcp-auth-demo/trace';
import { inProcessFetch } from '@mcp-auth-demo/common/testing';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataUrls,
  discoverAuthorizationServer,
  discoverProtectedResource,
  protectedResourceMetadataUrls,
  resourceMatchesServer,
} from './discovery.ts';
import { StepFailure } from './step-failure.ts';

const RS = 'http://rs.localhost:8001';
const AS = 'http://as.localhost:9000';

/** A foreign server that serves the given JSON documents and records every path asked for. */
function documents(docs: Record<string, unknown>) {
  const asked: string[] = [];
  const app = new Hono();
  app.all('*', (c) => {
    const path = new URL(c.req.url).pathname;
    asked.push(path);
    return path in docs ? c.json(docs[path] as object) : c.text('not found', 404);
  });
  return { app, asked };
}

function context(apps: Record<string, Hono>) {
  const events: TraceEvent[] = [];
  return { ctx: { fetch: inProcessFetch(apps), emit: createEmitter('client', (e) => events.push(e)) }, events };
}

const asMetadata = (issuer: string, extra: Record<string, unknown> = {}) => ({
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  code_challenge_methods_supported: ['S256'],
  ...extra,
});

describe('Protected Resource Metadata discovery (RFC 9728, MCP 2025-11-25)', () => {
  it('lists the path-suffixed well-known URL before the root one', () => {
    expect(protectedResourceMetadataUrls(`${RS}/mcp`)).toEqual([
      `${RS}/.well-known/oauth-protected-resource/mcp`,
      `${RS}/.well-known/oauth-protected-resource`,
    ]);
    expect(protectedResourceMetadataUrls(`${RS}/`)).toEqual([`${RS}/.well-known/oauth-protected-resource`]);
    // RFC 9728 §3.1 removes only a slash that follows the host: a path keeps its own.
    expect(protectedResourceMetadataUrls(`${RS}/mcp/`)).toEqual([
      `${RS}/.well-known/oauth-protected-resource/mcp/`,
      `${RS}/.well-known/oauth-protected-resource`,
    ]);
  });

  it('uses the resource_metadata URL of the challenge, and only it', async () => {
    const rs = documents({
      '/custom/prm.json': { resource: `${RS}/mcp`, authorization_servers: [AS] },
      '/.well-known/oauth-protected-resource': { resource: `${RS}/mcp`, authorization_servers: ['http://wrong'] },
    });
    const { ctx } = context({ [RS]: rs.app });
    const prm = await discoverProtectedResource(`${RS}/mcp`, `${RS}/custom/prm.json`, ctx);
    expect(prm.authorization_servers).toEqual([AS]);
    expect(rs.asked).toEqual(['/custom/prm.json']);
  });

  it('falls back from the path-suffixed URL to the root one on 404', async () => {
    const rs = documents({ '/.well-known/oauth-protected-resource': { resource: RS, authorization_servers: [AS] } });
    const { ctx, events } = context({ [RS]: rs.app });
    await discoverProtectedResource(`${RS}/mcp`, undefined, ctx);
    expect(rs.asked).toEqual(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
    expect(events.map((e) => e.kind)).toContain('prm.resource_matched');
  });

  it.each([
    ['another origin', 'http://evil.localhost:8001/mcp'],
    ['another path', `${RS}/other`],
    ['a sibling path sharing a prefix', `${RS}/mc`],
    ['not a URL', 'mcp'],
  ])('refuses a PRM whose resource is %s (RFC 9728 §3.3)', async (_, resource) => {
    const rs = documents({ '/.well-known/oauth-protected-resource/mcp': { resource, authorization_servers: [AS] } });
    const { ctx, events } = context({ [RS]: rs.app });
    await expect(discoverProtectedResource(`${RS}/mcp`, undefined, ctx)).rejects.toBeInstanceOf(StepFailure);
    expect(events.map((e) => e.kind)).not.toContain('prm.resource_matched');
  });

  it('accepts a resource that is the origin or a parent path of the server URL', () => {
    expect(resourceMatchesServer(RS, `${RS}/mcp`)).toBe(true);
    expect(resourceMatchesServer(`${RS}/`, `${RS}/mcp`)).toBe(true);
    expect(resourceMatchesServer(`${RS}/mcp`, `${RS}/mcp`)).toBe(true);
    expect(resourceMatchesServer(`${RS}/mcp#x`, `${RS}/mcp`)).toBe(false);
  });

  it('refuses a PRM without authorization_servers', async () => {
    const rs = documents({ '/.well-known/oauth-protected-resource/mcp': { resource: `${RS}/mcp` } });
    const { ctx } = context({ [RS]: rs.app });
    await expect(discoverProtectedResource(`${RS}/mcp`, undefined, ctx)).rejects.toThrow(/authorization_servers/);
  });

  it('fails clearly when no PRM exists anywhere', async () => {
    const { ctx } = context({ [RS]: documents({}).app });
    await expect(discoverProtectedResource(`${RS}/mcp`, undefined, ctx)).rejects.toThrow(/oauth-protected-resource\/mcp → 404/);
  });
});

describe('authorization server metadata discovery (RFC 8414 §3, OpenID Connect Discovery)', () => {
  it.each([
    [AS, ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']],
    [`${AS}/t1`, ['/.well-known/oauth-authorization-server/t1', '/.well-known/openid-configuration/t1', '/t1/.well-known/openid-configuration']],
  ])('tries, for issuer %s, exactly %j in order', (issuer, paths) => {
    expect(authorizationServerMetadataUrls(issuer)).toEqual(paths.map((p) => `${AS}${p}`));
  });

  it.each([
    ['RFC 8414 without a path', AS, '/.well-known/oauth-authorization-server'],
    ['OpenID Connect without a path', AS, '/.well-known/openid-configuration'],
    ['RFC 8414 path insertion', `${AS}/t1`, '/.well-known/oauth-authorization-server/t1'],
    ['OpenID Connect path insertion', `${AS}/t1`, '/.well-known/openid-configuration/t1'],
    ['OpenID Connect path appending', `${AS}/t1`, '/t1/.well-known/openid-configuration'],
  ])('finds metadata by %s, never asking the root when the issuer has a path', async (_, issuer, path) => {
    const as = documents({ [path]: asMetadata(issuer) });
    const { ctx } = context({ [AS]: as.app });
    const metadata = await discoverAuthorizationServer(issuer, ctx);
    expect(metadata.issuer).toBe(issuer);
    expect(as.asked.at(-1)).toBe(path);
    if (issuer !== AS) expect(as.asked).not.toContain('/.well-known/oauth-authorization-server');
  });

  it.each([
    ['another host', AS, 'http://evil.localhost'],
    ['a trailing slash the expected issuer lacks', AS, `${AS}/`],
    ['a path the expected issuer lacks', AS, `${AS}/t1`],
    // MCP 2026-07-28: no trailing-slash leniency (this one the client used to accept).
    ['a missing trailing slash the expected issuer has', `${AS}/`, AS],
    ['another letter case', AS, AS.toUpperCase().replace('HTTP', 'http')],
  ])('refuses metadata whose issuer differs from the expected one by %s (RFC 8414 §3.3, exact comparison)', async (_, expected, served) => {
    const as = documents({ '/.well-known/oauth-authorization-server': asMetadata(served) });
    const { ctx } = context({ [AS]: as.app });
    await expect(discoverAuthorizationServer(expected, ctx)).rejects.toThrow(/RFC 8414 §3.3/);
  });

  it.each([
    ['absent', {}],
    ['plain only', { code_challenge_methods_supported: ['plain'] }],
  ])('refuses to go on when S256 PKCE support is %s (MCP Authorization Code Protection)', async (_, extra) => {
    const metadata = { ...asMetadata(AS), code_challenge_methods_supported: undefined, ...extra };
    const as = documents({ '/.well-known/oauth-authorization-server': metadata });
    const { ctx } = context({ [AS]: as.app });
    await expect(discoverAuthorizationServer(AS, ctx)).rejects.toThrow(/S256/);
  });
});
