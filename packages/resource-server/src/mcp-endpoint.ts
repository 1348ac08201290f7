/**
 * The MCP endpoint (MCP transports 2025-11-25, Streamable HTTP). Every request passes these
 * checks, in this order, before the MCP SDK sees it; each one throws the one `OAuthError`
 * (answered and traced by `app.onError`) and emits its decision's trace event:
 *
 *   1. checkOrigin           DNS-rebinding protection (origin.ts)                 403
 *   2. checkDeclaredBodySize a Content-Length over the bound (request-body.ts)    413
 *   3. extractBearerToken    header only (bearer.ts, RFC 6750 §2.1)               400 / 401
 *   4. verifyAccessToken     RFC 9068 §4 + RFC 8707 audience                      401
 *   5. readBodyText          only now, for an authenticated caller; bounded       413
 *   6. requiredScopes        what this request needs, ONE strategy (scopes.ts)
 *   7. rejectTokenInBody     a token in a form body too (bearer.ts)               400
 *   8. checkScopes           RFC 6750 §3.1 insufficient_scope                     403
 *   9. POST only             stateless server: no GET stream, no session to DELETE 405
 *  10. the SDK               a fresh McpServer + transport for this request alone (loaded at
 *                            the first request that gets here: mcp-layer.ts)
 *
 * Steps 1-4 read headers only: an anonymous or badly authenticated request is answered without
 * its body ever being read (hardening: nobody makes this server parse megabytes for nothing).
 * Steps 3-8 answer with `WWW-Authenticate: Bearer` carrying `resource_metadata` (RFC 9728 §5.1)
 * and `scope`: before the body is read that is the base scope every request needs; the 403 of
 * step 8 names every scope the request needs (step 6), so a client can always find out how to
 * get in, and steps up from there.
 *
 * MCP authorization: "authorization MUST be included in every HTTP request from client to
 * server" — so GET and DELETE are authenticated too, before they are refused with 405.
 *
 * Isolation: a new server (and, for 2025-11-25, a new stateless transport) per request, the
 * SDK's pattern for many concurrent clients; nothing one request does is seen by another. What
 * is shared holds no request state: the verified-key cache, the verified-token cache
 * (verified-token-cache.ts), the JSON-schema validator and the tool schemas (tools.ts).
 * Steps 1-9 are the same for both protocol eras.
 */
import { declaredContrast, type BearerChallenge } from '@mcp-auth-demo/common';
import type { Emit } from '@mcp-auth-demo/trace';
import type { Context } from 'hono';
import type { AuthorizationServerKeys } from './authorization-server-keys.ts';
import { extractBearerToken, missingTokenError, rejectTokenInBody, reportMisplacedToken, withBearerChallenge } from './bearer.ts';
import type { ResolvedConfig } from './config.ts';
import { checkOrigin } from './origin.ts';
import { checkDeclaredBodySize, readBodyText } from './request-body.ts';
import { BASE_SCOPE, checkScopes, requiredScopes } from './scopes.ts';
import type { RevocationCheck } from './revocation-check.ts';
import type { TokenIntrospection } from './introspection-client.ts';
import type { ReadBody } from './protocol-eras.ts';
import type { ServeMcp } from './mcp-layer.ts';
import { methodNotAllowed } from './transport-errors.ts';
import { createVerifiedTokenCache } from './verified-token-cache.ts';
import { verifyAccessToken, type VerifiedAccessToken } from './verify-access-token.ts';

function parseJson(text: string): ReadBody['json'] {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * The token events of a request that declares itself the lab client's deliberate attack
 * (CONTRAST_HEADER: a contrast, a `pnpm client --grade` probe) say so, so the verdicts of
 * `pnpm serve` never grade the client for it. It changes nothing this server decides.
 */
function declaring(request: Request, emit: Emit): Emit {
  const contrast = declaredContrast(request.headers);
  if (!contrast) return emit;
  return (kind, payload) => emit(kind, kind === 'token.rejected' || kind === 'token.misplaced' ? ({ ...payload, contrast } as typeof payload) : payload);
}

/**
 * The Hono handler of the MCP endpoint, for every method; `baseEmit` is the app's one emitter.
 * `serveMcp` is the MCP layer: the SDK and the tools, loaded at the first request that gets this
 * far, or earlier when the app asks (mcp-layer.ts).
 */
export function createMcpEndpoint(config: ResolvedConfig, keys: AuthorizationServerKeys, baseEmit: Emit, serveMcp: ServeMcp, introspection?: TokenIntrospection, revocation?: RevocationCheck) {
  const resourceMetadata = config.resourceMetadataUrl;
  // One cache of verified tokens per app; emptied when the JWK Set is fetched again.
  const verifiedTokens = createVerifiedTokenCache({ now: config.now, keysVersion: () => keys.version });
  // Before the body is read, a challenge can only name what every request needs.
  const baseChallenge: BearerChallenge = { resource_metadata: resourceMetadata, scope: BASE_SCOPE };

  /** Steps 3-4, from the headers alone: who is calling. */
  async function authenticate(request: Request, emit: Emit): Promise<VerifiedAccessToken> {
    const token = extractBearerToken(request);
    if (token === undefined) throw missingTokenError();
    return verifyAccessToken(token, {
      issuer: config.authorizationServer,
      getKey: keys.getKey,
      clockToleranceSeconds: config.clockToleranceSeconds,
      now: config.now,
      emit,
      profile: config.tokenProfile,
      introspection,
      revocation,
      cache: verifiedTokens,
    });
  }

  return async (c: Context): Promise<Response> => {
    const request = c.req.raw;
    const emit = declaring(request, baseEmit);

    checkOrigin(request, config.allowedOrigins, emit);
    checkDeclaredBodySize(request);

    let accessToken: VerifiedAccessToken;
    try {
      accessToken = await authenticate(request, emit);
    } catch (error) {
      reportMisplacedToken(request, emit);
      // RFC 6750 §3 + RFC 9728 §5.1: every auth error carries the challenge (app.onError answers).
      throw withBearerChallenge(error, baseChallenge);
    }

    // Only an authenticated caller's body is read (bounded) and parsed.
    const text = await readBodyText(request);
    const body: ReadBody = { text, json: parseJson(text) };
    const required = requiredScopes(body.json.ok ? body.json.value : undefined);
    try {
      rejectTokenInBody(request, text);
      checkScopes(accessToken.scopes, required, emit, accessToken.claims);
    } catch (error) {
      throw withBearerChallenge(error, { resource_metadata: resourceMetadata, scope: required.scopes.join(' ') });
    }

    // MCP transports: on GET the server MUST open an SSE stream "or else return HTTP 405";
    // DELETE "MAY" get 405. This stateless server has neither a stream nor a session.
    if (request.method !== 'POST') throw methodNotAllowed();

    // The SDK gets the very body that was checked: what is authorized is what runs.
    return serveMcp(request, body, accessToken.authInfo);
  };
}
