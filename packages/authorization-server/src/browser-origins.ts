/**
 * Which web pages may call which endpoint of this authorization server (CORS, Fetch Standard
 * §3.2), and the refusal of the rest.
 *
 * Every web page the user visits can send requests to a loopback server. What it can READ is
 * what CORS allows. The AS has two kinds of endpoints:
 *
 * - Public documents (RFC 8414 metadata, the JWKS): the same for everyone, no secret, no side
 *   effect. Any origin may read them (`Access-Control-Allow-Origin: *`), as browser MCP clients
 *   discover any AS this way.
 * - Endpoints that mint something (`/token`: tokens; `/register`: client registrations): only
 *   the browser origins named in `allowedOrigins` (a browser-based MCP client such as the MCP
 *   Inspector at http://localhost:6274; `MCP_DEMO_ALLOWED_ORIGINS`, the list the MCP server
 *   uses too). Any other page gets no CORS headers, so it cannot read the answer nor, for
 *   /register's JSON, even send the request (the preflight fails). A request that still arrives
 *   with a foreign `Origin` (a cross-site form POST needs no preflight) is refused with 403
 *   before anything runs: a web page has no business minting tokens here.
 *
 * Native MCP clients (CLIs, IDEs, desktop apps) send no `Origin` and are unaffected.
 * `/authorize` is a top-level navigation, not a fetch: it needs no CORS.
 */
import { OAuthError, type OAuthErrorCode } from '@mcp-auth-demo/common';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/** Public documents: any origin may read them. */
export const publicDocumentCors = (): MiddlewareHandler => cors({ origin: '*', allowMethods: ['GET', 'OPTIONS'] });

/** CORS for an endpoint that mints something: the allowed origins only. */
export function allowedOriginsCors(allowedOrigins: readonly string[]): MiddlewareHandler {
  return cors({
    origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Accept', 'Authorization'],
    maxAge: 600,
  });
}

/**
 * Refuses a request sent by a web page whose origin is not allowed (403, the endpoint's own
 * error code). The AS's own origin is always allowed (its pages are same-origin).
 */
export function refuseForeignOrigins(allowedOrigins: readonly string[], ownOrigin: string, error: OAuthErrorCode): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method !== 'OPTIONS' && origin !== undefined && origin !== ownOrigin && !allowedOrigins.includes(origin)) {
      throw new OAuthError(
        error,
        `Requests from the web page origin ${origin} are not accepted here; browser-based clients must be on an allowed origin (MCP_DEMO_ALLOWED_ORIGINS).`,
        { status: 403 },
      );
    }
    await next();
  };
}
