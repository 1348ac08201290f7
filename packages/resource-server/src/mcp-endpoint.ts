/**
 * The MCP endpoint (MCP transports 2025-11-25, Streamable HTTP). Every request passes these
 * checks, in this order, before the MCP SDK sees it; each one throws the one `OAuthError`
 * (answered and traced by `app.onError`) and emits its decision's trace event:
 *
 *   1. checkOrigin          DNS-rebinding protection (origin.ts)                 403
 *   2. read the body        bounded by `bodyLimit` in app.ts                     413
 *   3. requiredScopes       what this request needs, ONE strategy (scopes.ts)
 *   4. extractBearerToken   header only (bearer.ts, RFC 6750 §2.1)               400 / 401
 *   5. verifyAccessToken    RFC 9068 §4 + RFC 8707 audience                      401
 *   6. checkScopes          RFC 6750 §3.1 insufficient_scope                     403
 *   7. POST only            stateless server: no GET stream, no session to DELETE 405
 *   8. the SDK              a fresh McpServer + transport for this request alone
 *
 * Steps 4-6 answer with `WWW-Authenticate: Bearer` carrying `resource_metadata` (RFC 9728 §5.1)
 * and `scope` (the scopes of step 3), so a client can always find out how to get in.
 *
 * MCP authorization: "authorization MUST be included in every HTTP request from client to
 * server" — so GET and DELETE are authenticated too, before they are refused with 405.
 *
 * Isolation: stateless mode (`sessionIdGenerator: undefined`) with a new server and transport
 * per request, the SDK's recommended pattern for many concurrent clients; nothing is shared
 * between requests except the verified-key cache. JSON responses (not SSE) suffice because the
 * tools send no progress notifications; the spec lets the server choose either.
 */
import type { BearerChallenge, Emit } from '@mcp-auth-demo/common';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Context } from 'hono';
import type { AuthorizationServerKeys } from './authorization-server-keys.ts';
import { extractBearerToken, missingTokenError, withBearerChallenge } from './bearer.ts';
import type { ResolvedConfig } from './config.ts';
import { checkOrigin } from './origin.ts';
import { protectedResourceMetadataUrl } from './protected-resource-metadata.ts';
import { checkScopes, requiredScopes } from './scopes.ts';
import { createMcpServer } from './tools.ts';
import { methodNotAllowed } from './transport-errors.ts';
import { verifyAccessToken, type VerifiedAccessToken } from './verify-access-token.ts';

/** The body as read once: its text, and its JSON value when it parses. */
export interface ReadBody {
  text: string;
  json: { ok: true; value: unknown } | { ok: false };
}

function parseJson(text: string): ReadBody['json'] {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Hands the request to the MCP SDK. The body was already read for the scope check, so the SDK
 * gets the very value that was checked (`parsedBody`): what is authorized is what runs. A body
 * that is not JSON goes over as its raw text, for the SDK to answer with its own parse error.
 */
export async function handOffToMcp(request: Request, body: ReadBody, authInfo: AuthInfo, emit: Emit): Promise<Response> {
  const server = createMcpServer(emit);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    if (body.json.ok) return await transport.handleRequest(request, { authInfo, parsedBody: body.json.value });
    const unparsed = new Request(request.url, { method: request.method, headers: request.headers, body: body.text });
    return await transport.handleRequest(unparsed, { authInfo });
  } finally {
    await server.close();
  }
}

/** The Hono handler of the MCP endpoint, for every method; `emit` is the app's one emitter. */
export function createMcpEndpoint(config: ResolvedConfig, keys: AuthorizationServerKeys, emit: Emit) {
  const resourceMetadata = protectedResourceMetadataUrl(config.resource);

  return async (c: Context): Promise<Response> => {
    const request = c.req.raw;

    checkOrigin(request, config.allowedOrigins, emit);

    const text = await c.req.text();
    const body: ReadBody = { text, json: parseJson(text) };
    const required = requiredScopes(body.json.ok ? body.json.value : undefined);
    const challenge: BearerChallenge = { resource_metadata: resourceMetadata, scope: required.scopes.join(' ') };

    let accessToken: VerifiedAccessToken;
    try {
      const token = extractBearerToken(request, text);
      if (token === undefined) throw missingTokenError();
      accessToken = await verifyAccessToken(token, {
        issuer: config.authorizationServer,
        resource: config.resource,
        getKey: keys.getKey,
        clockToleranceSeconds: config.clockToleranceSeconds,
        now: config.now,
        emit,
      });
      checkScopes(accessToken.scopes, required, emit);
    } catch (error) {
      // RFC 6750 §3 + RFC 9728 §5.1: every auth error carries the challenge (app.onError answers).
      throw withBearerChallenge(error, challenge);
    }

    // MCP transports: on GET the server MUST open an SSE stream "or else return HTTP 405";
    // DELETE "MAY" get 405. This stateless server has neither a stream nor a session.
    if (request.method !== 'POST') throw methodNotAllowed();

    return handOffToMcp(request, body, accessToken.authInfo, emit);
  };
}
