/**
 * CORS for the MCP endpoint, so a browser-based MCP client (the MCP Inspector in direct mode, a
 * web app) on an allowed origin can use this server.
 *
 * It works together with the Origin check (origin.ts), never against it: only the origins of
 * the same allow-list get CORS headers, so a foreign page's preflight gets none and its POST a
 * 403. What a browser client must be able to send (`Authorization`, `Mcp-Protocol-Version`,
 * `Mcp-Session-Id`) and read (`WWW-Authenticate`, the session and version headers) is listed
 * explicitly: without `Access-Control-Expose-Headers: WWW-Authenticate`, a browser client could
 * not see the RFC 9728 §5.1 challenge and could not discover how to authorize.
 *
 * A request without `Origin` is not a CORS request (Fetch standard §3.2.5: a browser sends
 * `Origin` with every cross-origin request and every preflight), so it skips the middleware: the
 * MCP clients that are programs (SDKs, IDEs) send none, and hono's CORS would otherwise rebuild
 * every answer to add `Access-Control-Expose-Headers` and `Vary` that no browser will read (a few
 * per cent of the RS's busy time in `pnpm bench`). No cache stores these answers (POST answers
 * need explicit freshness, RFC 9111 §3; 401 and 405 are not heuristically cacheable, RFC 9110
 * §15.1), so leaving out `Vary: Origin` there changes nothing.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

export function mcpCors(allowedOrigins: readonly string[]): MiddlewareHandler {
  const forBrowsers = cors({
    origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['POST', 'GET', 'DELETE', 'OPTIONS'],
    // Mcp-Method and Mcp-Name: every 2026-07-28 request carries them (MCP 2026-07-28 transports, "Request Metadata").
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'Mcp-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Mcp-Session-Id', 'Last-Event-ID'],
    exposeHeaders: ['WWW-Authenticate', 'Mcp-Session-Id', 'Mcp-Protocol-Version'],
    maxAge: 600,
  });
  return (c, next) => (c.req.header('origin') === undefined ? next() : forBrowsers(c, next));
}
