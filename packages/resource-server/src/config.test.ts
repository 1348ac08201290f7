/**
 * The configuration is validated when the app is built (fail fast): RFC 8707 §2 / MCP canonical
 * resource URI, RFC 8414 §2 issuer, https except the named loopback deviation, a small skew.
 */
import { describe, expect, it } from 'vitest';
import { createResourceServer } from './app.ts';
import { ConfigError } from '@mcp-auth-demo/common';
import { resolveConfig, type ResourceServerConfig } from './config.ts';

const base: ResourceServerConfig = {
  resource: 'http://localhost:8001/mcp',
  authorizationServer: 'http://localhost:9000',
  dangerouslyAllowLoopbackHttp: true,
};

describe('an invalid configuration fails when the app is built', () => {
  it.each<[string, Partial<ResourceServerConfig>, RegExp]>([
    ['resource is not a URL', { resource: 'localhost:8001/mcp' }, /canonical form|absolute URL|https/],
    ['resource has a fragment', { resource: 'http://localhost:8001/mcp#x' }, /fragment/],
    ['resource has a query', { resource: 'http://localhost:8001/mcp?x=1' }, /query/],
    ['resource is a bare origin (no MCP endpoint path)', { resource: 'http://localhost:8001' }, /MCP endpoint path/],
    ['resource has a trailing slash', { resource: 'http://localhost:8001/mcp/' }, /canonical form/],
    ['resource has an uppercase host', { resource: 'http://LOCALHOST:8001/mcp' }, /canonical form/],
    ['resource is http on a non-loopback host, even with the deviation', { resource: 'http://mcp.example.com/mcp' }, /https/],
    ['resource is http on loopback without the deviation', { dangerouslyAllowLoopbackHttp: false }, /dangerouslyAllowLoopbackHttp/],
    ['issuer is not a URL', { authorizationServer: 'not a url' }, /absolute URL/],
    ['issuer has a query (RFC 8414 §2)', { authorizationServer: 'http://localhost:9000?tenant=1' }, /no query/],
    ['issuer is http on a non-loopback host', { authorizationServer: 'http://as.example.com' }, /https/],
    ['clock tolerance is negative', { clockToleranceSeconds: -1 }, /clockToleranceSeconds/],
    ['clock tolerance is more than a few minutes', { clockToleranceSeconds: 301 }, /clockToleranceSeconds/],
    ['clock tolerance is NaN', { clockToleranceSeconds: Number.NaN }, /clockToleranceSeconds/],
    ['an allowed origin has a path', { allowedOrigins: ['http://localhost:6274/app'] }, /serialised origins/],
  ])('%s', (_name, override, message) => {
    expect(() => createResourceServer({ ...base, ...override })).toThrow(ConfigError);
    expect(() => createResourceServer({ ...base, ...override })).toThrow(message);
  });
});

describe('a valid configuration', () => {
  it('derives the MCP path and fills in the defaults', () => {
    const config = resolveConfig(base);
    expect(config).toMatchObject({
      resource: 'http://localhost:8001/mcp',
      mcpPath: '/mcp',
      clockToleranceSeconds: 30,
      allowedOrigins: ['http://localhost:8001'],
    });
  });

  it('accepts https anywhere without the deviation', () => {
    const config = resolveConfig({ resource: 'https://mcp.example.com/mcp', authorizationServer: 'https://as.example.com/tenant1' });
    expect(config.mcpPath).toBe('/mcp');
    expect(config.dangerouslyAllowLoopbackHttp).toBe(false);
  });

  it('always keeps its own origin in the allow-list', () => {
    expect(resolveConfig({ ...base, allowedOrigins: ['http://localhost:6274'] }).allowedOrigins).toEqual([
      'http://localhost:8001',
      'http://localhost:6274',
    ]);
  });
});
