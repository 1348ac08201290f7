/**
 * The MCP resource server: a Hono app that opens no port (serve.ts does that).
 *
 * Routes, all derived from the configured resource URI so that metadata and paths cannot drift:
 * - `GET /.well-known/oauth-protected-resource<path>`  RFC 9728 metadata (protected-resource-metadata.ts)
 * - `<path>` (e.g. `/mcp`)                             the MCP endpoint (mcp-endpoint.ts)
 * Anything else is a JSON 404.
 *
 * Errors: every failure is the one error type, `OAuthError`, thrown where it is found (OAuth
 * errors with their challenge; the transport errors 403 Origin, 405 and 413 of
 * transport-errors.ts; the 404). Exactly one place, `app.onError` -> `oauthErrorResponse`,
 * turns it into the answer; anything unexpected becomes a 500 `server_error` with no detail on
 * the wire. The `request.rejected` trace event is emitted there (built by `describeRejection`
 * from the answer itself), before the answer leaves, with the exact `WWW-Authenticate` sent.
 * The app creates one emitter and passes it to everything that traces.
 */
import { describeRejection, oauthErrorResponse, toOAuthError, type OAuthError } from '@mcp-auth-demo/common';
import { createEmitter } from '@mcp-auth-demo/trace';
import { Hono, type Context } from 'hono';
import { createAuthorizationServerKeys } from './authorization-server-keys.ts';
import { discoverOnce } from './authorization-server-metadata.ts';
import { resolveConfig, type ResourceServerConfig } from './config.ts';
import { mcpCors } from './cors.ts';
import { createMcpEndpoint } from './mcp-endpoint.ts';
import { mcpLayerOnFirstUse } from './mcp-layer.ts';
import { protectedResourceMetadataRoutes } from './protected-resource-metadata.ts';
import { createConfiguredIntrospection } from './introspection-client.ts';
import { createConfiguredRevocation } from './configured-revocation.ts';
import type { RevocationChannel } from './revocation-channel.ts';
import { limitSetBody } from './security-event-receiver.ts';
import { notFound } from './transport-errors.ts';

/** The spec behind each error code, for the trace. */
const ERROR_SPEC: Record<string, string> = {
  invalid_request: 'RFC 6750 §3.1 invalid_request',
  invalid_token: 'RFC 6750 §3.1 invalid_token; MCP 2025-11-25 authorization "Token Handling"',
  insufficient_scope: 'RFC 6750 §3.1 insufficient_scope; MCP 2025-11-25 authorization "Scope Challenge Handling"',
  temporarily_unavailable: 'RFC 8414 §3 (the authorization server metadata or keys are unavailable)',
  forbidden_origin: 'MCP 2025-11-25 transports, Streamable HTTP, Security Warning: "MUST respond with HTTP 403 Forbidden"',
  method_not_allowed: 'MCP 2025-11-25 transports, Streamable HTTP: "return HTTP 405 Method Not Allowed"',
  payload_too_large: 'RFC 9110 §15.5.14 413 Content Too Large',
};

function specOf(error: OAuthError): string | undefined {
  if (error.options.bearer?.withoutError) return 'RFC 6750 §3.1 (no token: a challenge without an error code); RFC 9728 §5.1 resource_metadata';
  return ERROR_SPEC[error.error];
}

/**
 * The app, plus its revocation channel (when revocations are pushed), which serve.ts starts, and
 * `loadMcpLayer`, which starts loading the MCP layer before the first request (mcp-layer.ts).
 */
export type ResourceServerApp = Hono & { readonly revocationChannel: RevocationChannel | undefined; loadMcpLayer(): void };

/** Builds the resource server; throws `ConfigError` for an invalid config. */
export function createResourceServer(input: ResourceServerConfig): ResourceServerApp {
  const config = resolveConfig(input);
  const emit = createEmitter('resource-server', config.onEvent);
  const discovery = { issuer: config.authorizationServer, fetch: config.fetch, allowLoopbackHttp: config.dangerouslyAllowLoopbackHttp };
  // RFC 8414: the AS metadata, fetched once for the keys, introspection and the revocation channel.
  const metadata = discoverOnce(discovery);
  const keys = createAuthorizationServerKeys({ ...discovery, emit, metadata });

  // RFC 7662: asks the AS whether a token is still active (revocation), when credentials are set.
  const introspection = createConfiguredIntrospection(config, emit, metadata);
  // How a revoked token is known here: pushed SETs, or introspection (configured-revocation.ts).
  const revocation = createConfiguredRevocation(config, keys, emit, introspection, metadata);

  const app = new Hono();
  app.route('/', protectedResourceMetadataRoutes(config));

  app.use(config.mcpPath, mcpCors(config.allowedOrigins));
  // The SDK and the tools, loaded at the first MCP request or at loadMcpLayer() (mcp-layer.ts).
  const mcpLayer = mcpLayerOnFirstUse(emit);
  app.all(config.mcpPath, createMcpEndpoint(config, keys, emit, mcpLayer, introspection, revocation.check));
  // RFC 8935 §2: the SET receiver, POST only; anything else gets the JSON 404 below.
  if (revocation.receiver) app.post(revocation.receiver.path, limitSetBody, revocation.receiver.handler);

  // The one place errors become answers, traced before they leave.
  function reject(c: Context, thrown: unknown): Response {
    const response = oauthErrorResponse(thrown);
    const spec = specOf(toOAuthError(thrown));
    emit('request.rejected', { ...describeRejection(c.req.raw, thrown, response), ...(spec ? { spec } : {}) });
    return response;
  }
  app.onError((thrown, c) => reject(c, thrown));
  app.notFound((c) => reject(c, notFound(c.req.path)));

  return Object.assign(app, { revocationChannel: revocation.channel, loadMcpLayer: mcpLayer.load });
}
