/**
 * Your own MCP server on the official TypeScript SDK v2 (`@modelcontextprotocol/server`,
 * pinned), behind the lab's authorization server: a recipe of docs/your-own-server.md, as the
 * tests run it. The SDK's `createMcpHandler` serves both eras (2026-07-28 and 2025-era stateless)
 * from one web-standard handler and verifies no token itself ("deliberately validation-free"), so
 * in front of it, in order:
 *
 *   Protected Resource Metadata (RFC 9728 §3) -> Origin (the SDK's originValidationResponse: 403)
 *   -> token from the header only (RFC 6750 §2.1) -> JWT checks: signature by the AS's JWKS, typ
 *   at+jwt, iss, exp, aud = this server (RFC 9068 §4) -> 403 insufficient_scope for a tool that
 *   needs more (RFC 6750 §3.1) -> the handler, given the verified authInfo
 *
 *   INTEROP_PORT    the port to listen on (loopback)
 *   INTEROP_ISSUER  the lab's issuer URL (pnpm serve's authorization server)
 *
 * Tools: `whoami` (the token's client and scopes), `forecast` (needs `weather:read`).
 */
import { serve } from '@hono/node-server';
import { createMcpHandler, localhostAllowedOrigins, McpServer, originValidationResponse, type AuthInfo } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const port = Number(process.env.INTEROP_PORT);
const issuer = process.env.INTEROP_ISSUER!;
const resource = `http://localhost:${port}/mcp`;
const prmPath = '/.well-known/oauth-protected-resource/mcp';
const keys = createRemoteJWKSet(new URL('/jwks', issuer));
const NEEDS: Record<string, string> = { forecast: 'weather:read' };

const handler = createMcpHandler(({ authInfo }) => {
  const server = new McpServer({ name: 'sdk2-own-server', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Who the access token says you are' }, async () => ({
    content: [{ type: 'text', text: `client ${authInfo?.clientId}, scopes "${authInfo?.scopes.join(' ')}"` }],
  }));
  server.registerTool('forecast', { description: 'Needs weather:read' }, async () => ({ content: [{ type: 'text', text: 'sunny' }] }));
  return server;
});

function challenge(status: 401 | 403, error?: string, scope = 'mcp:connect'): Response {
  const params = [`resource_metadata="http://localhost:${port}${prmPath}"`, `scope="${scope}"`, ...(error ? [`error="${error}"`] : [])];
  return Response.json({ error: error ?? 'unauthorized' }, { status, headers: { 'www-authenticate': `Bearer ${params.join(', ')}` } });
}

async function verify(token: string): Promise<AuthInfo | undefined> {
  try {
    // RFC 9068 §4: signature, typ, iss, exp, and aud = this server (the check that stops token passthrough).
    const { payload } = await jwtVerify(token, keys, { issuer, typ: 'at+jwt', audience: resource });
    return { token, clientId: String(payload.client_id), scopes: String(payload.scope ?? '').split(' ').filter(Boolean), ...(payload.exp && { expiresAt: payload.exp }) };
  } catch {
    return undefined;
  }
}

async function fetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  // RFC 9728 §3: the metadata names the lab's AS; `resource` is this server's URL, byte for byte.
  if (request.method === 'GET' && url.pathname === prmPath) {
    return Response.json({ resource, authorization_servers: [issuer], scopes_supported: ['mcp:connect', 'weather:read'] });
  }
  if (url.pathname !== '/mcp') return new Response(null, { status: 404 });
  // MCP transports: servers MUST validate Origin (403 for a foreign one).
  const foreign = originValidationResponse(request, localhostAllowedOrigins());
  if (foreign) return foreign;
  // RFC 6750 §2.1 / MCP "Token Requirements": the Authorization header only.
  const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!token) return challenge(401);
  const authInfo = await verify(token);
  if (!authInfo) return challenge(401, 'invalid_token');
  const body: unknown = request.method === 'POST' ? await request.clone().json().catch(() => undefined) : undefined;
  const call = body as { method?: string; params?: { name?: string } } | undefined;
  const needed = call?.method === 'tools/call' ? NEEDS[call.params?.name ?? ''] : undefined;
  // RFC 6750 §3.1, MCP "Runtime Insufficient Scope Errors": 403 with every scope the call needs.
  if (needed && !authInfo.scopes.includes(needed)) return challenge(403, 'insufficient_scope', `mcp:connect ${needed}`);
  return handler.fetch(request, { authInfo });
}

serve({ fetch, port, hostname: '127.0.0.1' });
