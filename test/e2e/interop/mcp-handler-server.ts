/**
 * Your own MCP server on Vercel's `mcp-handler` (pinned, over the SDK v2), behind the lab's
 * authorization server: a recipe of docs/your-own-server.md, as the tests run it. The package's
 * own pieces do the resource-server part: `protectedResourceHandler` serves the Protected
 * Resource Metadata (RFC 9728) naming the lab's AS, `withMcpAuth` answers 401 with the
 * `resource_metadata` challenge, and the application's `verifyToken` checks the JWT: signature
 * by the AS's JWKS, typ at+jwt, iss, exp, and aud = this server (RFC 9068 §4). In front of it,
 * the SDK v2's Origin check (the handler makes none). Served on `node:http` through
 * @hono/node-server (the handler is web-standard).
 *
 *   INTEROP_PORT    the port to listen on (loopback)
 *   INTEROP_ISSUER  the lab's issuer URL (pnpm serve's authorization server)
 *
 * Tools: `whoami` (the token's client and scopes).
 */
import { serve } from '@hono/node-server';
import { localhostAllowedOrigins, originValidationResponse } from '@modelcontextprotocol/server';
import { createMcpHandler, protectedResourceHandler, withMcpAuth } from 'mcp-handler';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const port = Number(process.env.INTEROP_PORT);
const issuer = process.env.INTEROP_ISSUER!;
const resource = `http://localhost:${port}/mcp`;
const prmPath = '/.well-known/oauth-protected-resource/mcp';
const keys = createRemoteJWKSet(new URL('/jwks', issuer));

const handler = createMcpHandler((server) => {
  server.registerTool('whoami', { description: 'Who the access token says you are' }, async (ctx) => ({
    content: [{ type: 'text', text: `client ${ctx.http?.authInfo?.clientId}, scopes "${ctx.http?.authInfo?.scopes.join(' ')}"` }],
  }));
});

const authenticated = withMcpAuth(
  handler,
  async (_request, bearerToken) => {
    if (!bearerToken) return undefined;
    try {
      // RFC 9068 §4: signature, typ, iss, exp, and aud = this server (the check that stops token passthrough).
      const { payload } = await jwtVerify(bearerToken, keys, { issuer, typ: 'at+jwt', audience: resource });
      return { token: bearerToken, clientId: String(payload.client_id), scopes: String(payload.scope ?? '').split(' ').filter(Boolean), ...(payload.exp && { expiresAt: payload.exp }) };
    } catch {
      return undefined;
    }
  },
  // resourceUrl is the origin the challenge's resource_metadata URL is built on (resourceMetadataPath appended).
  { required: true, requiredScopes: ['mcp:connect'], resourceMetadataPath: prmPath, resourceUrl: `http://localhost:${port}` },
);
const metadata = protectedResourceHandler({ authServerUrls: [issuer], resourceUrl: resource });

serve({
  fetch: (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === prmPath) return metadata(request);
    // MCP transports: servers MUST validate Origin. The handler itself does not (the SDK v2 entry is
    // "deliberately validation-free"): the SDK's own check goes in front, 403 for a foreign one.
    if (pathname === '/mcp') return originValidationResponse(request, localhostAllowedOrigins()) ?? authenticated(request);
    return new Response(null, { status: 404 });
  },
  port,
  hostname: '127.0.0.1',
});
