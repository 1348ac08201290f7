/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728): the document that tells a client which
 * authorization server protects this MCP server and which scopes it knows.
 *
 * - RFC 9728 §2: the metadata parameters (`resource` is REQUIRED; `authorization_servers`,
 *   `scopes_supported`, `bearer_methods_supported`, `resource_name` are optional).
 * - RFC 9728 §3.1: the document lives at the well-known URI formed by inserting
 *   `/.well-known/oauth-protected-resource` between the host and the path of the resource.
 * - RFC 9728 §3.3: its `resource` value MUST be identical to the resource identifier the URL
 *   was built from, which is why only the path-suffixed URL is served (a document at the root
 *   would name a resource, `http://host:port`, that is not this server).
 * - RFC 9728 §5.1: the URL is named in the `resource_metadata` parameter of every challenge.
 * - MCP authorization (2025-11-25) "Authorization Server Location": the document MUST include
 *   `authorization_servers` with at least one authorization server.
 */
import { protectedResourceMetadataUrl } from '@mcp-auth-demo/common';
import { createEmitter } from '@mcp-auth-demo/trace';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { ResolvedConfig } from './config.ts';
import { SCOPES_SUPPORTED } from './scopes.ts';

/** The RFC 9728 §2 document this server publishes. Wire names keep the spec's snake_case. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_name: string;
}

/** RFC 9728 §3.1: where the document lives (common/well-known.ts, shared with the client). */
export { protectedResourceMetadataUrl };

export function buildProtectedResourceMetadata(config: ResolvedConfig): ProtectedResourceMetadata {
  return {
    // RFC 9728 §3.3: "The resource value returned MUST be identical to the protected resource's
    // resource identifier value into which the well-known URI path suffix was inserted".
    resource: config.resource,
    // MCP authorization: "MUST include the authorization_servers field containing at least one".
    authorization_servers: [config.authorizationServer],
    scopes_supported: [...SCOPES_SUPPORTED],
    // RFC 6750 §2.1 only: MCP "Access tokens MUST NOT be included in the URI query string",
    // and this server refuses the form-body method too (see bearer.ts).
    bearer_methods_supported: ['header'],
    resource_name: config.resourceName,
  };
}

/**
 * The routes that serve the document. It is public and carries no secrets, so any origin may
 * read it (browser-based clients discover the authorization server through it).
 */
export function protectedResourceMetadataRoutes(config: ResolvedConfig): Hono {
  const metadata = buildProtectedResourceMetadata(config);
  const path = new URL(config.resourceMetadataUrl).pathname;
  const routes = new Hono();
  routes.use(path, cors({ origin: '*', allowMethods: ['GET'] }));
  const emit = createEmitter('resource-server', config.onEvent);
  routes.get(path, (c) => {
    emit('prm.served', { path });
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(metadata);
  });
  return routes;
}
