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
 * Isolation: a new server (and, for 2025-11-25, a new stateless transport) per request, the
 * SDK's pattern for many concurrent clients; nothing one request does is seen by another. What
 * is shared holds no request state: the verified-key cache, the JSON-schema validator and the
 * tool schemas (tools.ts). Steps 1-7 are the same for both protocol eras.
 */
import type { BearerChallenge, Emit } from '@mcp-auth-demo/common';
import type { Context } from 'hono';
import type { AuthorizationServerKeys } from './authorization-server-keys.ts';
import { extractBearerToken, missingTokenError, reportMisplacedToken, withBearerChallenge } from './bearer.ts';
import type { ResolvedConfig } from './config.ts';
import { checkOrigin } from './origin.ts';
import { protectedResourceMetadataUrl } from './protected-resource-metadata.ts';
import { checkScopes, requiredScopes } from './scopes.ts';
import { createProtocolEras, type ReadBody } from './protocol-eras.ts';
import { methodNotAllowed } from './transport-errors.ts';
import { verifyAccessToken, type VerifiedAccessToken } from './verify-access-token.ts';

function parseJson(text: string): ReadBody['json'] {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The Hono handler of the MCP endpoint, for every method; `emit` is the app's one emitter. */
export function createMcpEndpoint(config: ResolvedConfig, keys: AuthorizationServerKeys, emit: Emit) {
  const resourceMetadata = protectedResourceMetadataUrl(config.resource);
  const serveMcp = createProtocolEras(emit);

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
      checkScopes(accessToken.scopes, required, emit, accessToken.claims.client_id);
    } catch (error) {
      reportMisplacedToken(request, text, emit);
      // RFC 6750 §3 + RFC 9728 §5.1: every auth error carries the challenge (app.onError answers).
      throw withBearerChallenge(error, challenge);
    }

    // MCP transports: on GET the server MUST open an SSE stream "or else return HTTP 405";
    // DELETE "MAY" get 405. This stateless server has neither a stream nor a session.
    if (request.method !== 'POST') throw methodNotAllowed();

    // The SDK gets the very body that was checked: what is authorized is what runs.
    return serveMcp(request, body, accessToken.authInfo);
  };
}
