/**
 * Runs panva's oidc-provider as the authorization server (`pnpm demo --as oidc-provider`), on its
 * issuer URL. The only file of this package that reads the environment and opens a port.
 *
 *   MCP_DEMO_ISSUER    the issuer URL; the server listens on its host and port
 *   MCP_DEMO_RESOURCE  the MCP server's canonical URI, the one resource tokens are issued for
 */
import { DEFAULT_ISSUER, DEFAULT_RESOURCE, ENV } from '@mcp-auth-demo/common';
import { serveApp } from '@mcp-auth-demo/server-process';
import { createEmitter, stdoutSink } from '@mcp-auth-demo/trace';
import { createOidcProviderAs } from './oidc-provider-as.ts';

const issuer = process.env[ENV.issuer] || DEFAULT_ISSUER;
const resource = process.env[ENV.resource] || DEFAULT_RESOURCE;

const listener = await createOidcProviderAs({ issuer, resource, emit: createEmitter('authorization-server', stdoutSink) });

serveApp({
  party: 'authorization-server',
  url: issuer,
  listener,
  portHint: 'Set MCP_DEMO_ISSUER=http://localhost:<port> (or pnpm demo --as-port <port>).',
});
