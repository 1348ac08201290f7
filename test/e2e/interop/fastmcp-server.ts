/**
 * A FastMCP server (the `fastmcp` framework, a pinned devDependency) in its resource-server mode,
 * as its README shows it: FastMCP serves the Protected Resource Metadata (RFC 9728) and answers
 * a request without a valid token with 401 and `WWW-Authenticate: Bearer resource_metadata=…`;
 * the application supplies `authenticate`, here a JWT check against this project's authorization
 * server (signature by its JWKS, issuer, audience = this server, RFC 9068 `at+jwt`).
 *
 *   INTEROP_PORT      the port to listen on (loopback)
 *   INTEROP_ISSUER    the authorization server's issuer URL
 *
 * Tools: `whoami` (no arguments: who the token says you are), `refuse` (no arguments: always
 * answers with `isError`, so a client's handling of tool errors shows).
 */
import { FastMCP, UserError } from 'fastmcp';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

const port = Number(process.env.INTEROP_PORT);
const issuer = process.env.INTEROP_ISSUER!;
const resource = `http://localhost:${port}/mcp`;
const keys = createRemoteJWKSet(new URL('/jwks', issuer));

type Session = { sub: string; scope: string } & Record<string, unknown>;

const server = new FastMCP<Session>({
  name: 'fastmcp-interop',
  version: '1.0.0',
  oauth: {
    enabled: true,
    protectedResource: { resource, authorizationServers: [issuer], scopesSupported: ['mcp:connect'] },
  },
  authenticate: async (request) => {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return undefined;
    try {
      const { payload }: { payload: JWTPayload } = await jwtVerify(header.slice(7), keys, {
        issuer,
        audience: resource,
        typ: 'at+jwt',
      });
      return { sub: String(payload.sub), scope: String(payload.scope ?? '') };
    } catch {
      return undefined;
    }
  },
});

server.addTool({
  name: 'whoami',
  description: 'Who the access token says you are',
  execute: async (_args, { session }) => `sub ${session?.sub}, scope "${session?.scope}"`,
});

server.addTool({
  name: 'refuse',
  description: 'Always fails, as a tool does when it cannot do its job',
  execute: async () => {
    throw new UserError('refused on purpose: this tool always answers isError');
  },
});

await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1', endpoint: '/mcp' } });
