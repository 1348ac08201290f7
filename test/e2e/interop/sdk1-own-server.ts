/**
 * Your own MCP server on the official TypeScript SDK v1 (`@modelcontextprotocol/sdk`, pinned),
 * behind the lab's authorization server: the recipe of docs/your-own-server.md, as the tests run
 * it. Stateless Streamable HTTP on node:http; in front of the SDK's transport, what the spec asks
 * of a resource server, in order:
 *
 *   Protected Resource Metadata (RFC 9728 §3) -> token from the header only (RFC 6750 §2.1) ->
 *   JWT checks: signature by the AS's JWKS, typ at+jwt, iss, exp, aud = this server (RFC 9068 §4) ->
 *   403 insufficient_scope for a tool that needs more (RFC 6750 §3.1) -> Origin (the SDK's
 *   DNS-rebinding protection: 403)
 *
 *   INTEROP_PORT    the port to listen on (loopback)
 *   INTEROP_ISSUER  the lab's issuer URL (pnpm serve's authorization server)
 *   INTEROP_LAX     a DELIBERATELY LAX variant, for the grader's tests only: `aud` skips the
 *                   audience check; `query` also takes the token from `?access_token=`
 *
 * Tools: `whoami` (the token's subject and scope), `forecast` (needs `weather:read`).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const port = Number(process.env.INTEROP_PORT);
const issuer = process.env.INTEROP_ISSUER!;
const lax = process.env.INTEROP_LAX ?? '';
const resource = `http://localhost:${port}/mcp`;
const prmUrl = `http://localhost:${port}/.well-known/oauth-protected-resource/mcp`;
const keys = createRemoteJWKSet(new URL('/jwks', issuer));
const NEEDS: Record<string, string> = { forecast: 'weather:read' };

function challenge(res: ServerResponse, status: 401 | 403, error?: string, scope = 'mcp:connect'): void {
  const params = [`resource_metadata="${prmUrl}"`, `scope="${scope}"`, ...(error ? [`error="${error}"`] : [])];
  res.writeHead(status, { 'www-authenticate': `Bearer ${params.join(', ')}`, 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: error ?? 'unauthorized' }));
}

async function verify(token: string): Promise<JWTPayload | undefined> {
  try {
    // RFC 9068 §4: signature, typ, iss, exp, and aud = this server (the check that stops token passthrough).
    const { payload } = await jwtVerify(token, keys, { issuer, typ: 'at+jwt', ...(lax === 'aud' ? {} : { audience: resource }) });
    return payload;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

function mcpServer(claims: JWTPayload): McpServer {
  const server = new McpServer({ name: 'sdk1-own-server', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Who the access token says you are' }, async () => ({
    content: [{ type: 'text', text: `sub ${claims.sub}, scope "${claims.scope}", aud ${claims.aud}` }],
  }));
  server.registerTool('forecast', { description: 'Needs weather:read' }, async () => ({ content: [{ type: 'text', text: 'sunny' }] }));
  return server;
}

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', resource);
  // RFC 9728 §3: the metadata names the lab's AS; `resource` is this server's URL, byte for byte.
  if (req.method === 'GET' && url.pathname === '/.well-known/oauth-protected-resource/mcp') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ resource, authorization_servers: [issuer], scopes_supported: ['mcp:connect', 'weather:read'] }));
    return;
  }
  if (url.pathname !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  const header = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  // RFC 6750 §2.1 / MCP "Token Requirements": the header only (the lax variant also reads the query).
  const token = header ?? (lax === 'query' ? (url.searchParams.get('access_token') ?? undefined) : undefined);
  if (!token) return challenge(res, 401);
  const claims = await verify(token);
  if (!claims) return challenge(res, 401, 'invalid_token');
  const body = req.method === 'POST' ? await readBody(req).catch(() => undefined) : undefined;
  const call = body as { method?: string; params?: { name?: string } } | undefined;
  const needed = call?.method === 'tools/call' ? NEEDS[call.params?.name ?? ''] : undefined;
  const held = String(claims.scope ?? '').split(' ');
  // RFC 6750 §3.1, MCP "Runtime Insufficient Scope Errors": 403 with every scope the call needs.
  if (needed && !held.includes(needed)) return challenge(res, 403, 'insufficient_scope', `mcp:connect ${needed}`);
  // The SDK's DNS-rebinding protection refuses a foreign Origin with 403 (MCP transports).
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableDnsRebindingProtection: true,
    allowedHosts: [`localhost:${port}`, `127.0.0.1:${port}`],
    allowedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
  });
  res.on('close', () => void transport.close());
  await mcpServer(claims).connect(transport);
  await transport.handleRequest(req, res, body);
}).listen(port, '127.0.0.1');
