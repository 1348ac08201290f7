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
 */
import { cors } from 'hono/cors';

export function mcpCors(allowedOrigins: readonly string[]) {
  return cors({
    origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['POST', 'GET', 'DELETE', 'OPTIONS'],
    // Mcp-Method and Mcp-Name: every 2026-07-28 request carries them (MCP 2026-07-28 transports, "Request Metadata").
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'Mcp-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Mcp-Session-Id', 'Last-Event-ID'],
    exposeHeaders: ['WWW-Authenticate', 'Mcp-Session-Id', 'Mcp-Protocol-Version'],
    maxAge: 600,
  });
}
