/**
 * The baselines `pnpm bench` measures our servers against, each a process of its own on an
 * ephemeral loopback port, so they pay what ours pay (a process, a socket, the same Node):
 *
 *   sdk-no-auth      the resource server's own MCP layer (the same SDK server, the same tools,
 *                    the same trace sink) with NO authorization in front: a fixed caller stands
 *                    in for the validated token. ours / this = what authorization costs.
 *   bare-hono        a Hono handler answering a tools/call-shaped JSON-RPC result: what the HTTP
 *                    stack costs. sdk-no-auth / this = what the MCP SDK costs.
 *   hono-rs256-sign  a Hono handler that signs one RS256 JWT per request: the floor of any
 *                    authorization server that issues RS256 tokens.
 *
 *   node dist/packages/bench/src/serve.js <kind>    prints {"listening": <port>} when ready
 *
 * Run from its bundle (scripts/build.mjs bundles every src/serve.ts), as our servers are in
 * `pnpm bench`: the same file under tsx answered a quarter to a half fewer requests per second
 * than bundled (an A/B run of the sdk-no-auth baseline, 5,000 requests each, interleaved), which
 * flattered every ratio against it.
 */
import { serve } from '@hono/node-server';
import { createEmitter, stdoutSink } from '@mcp-auth-demo/trace';
import { createProtocolEras } from '@mcp-auth-demo/resource-server';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { generateKeyPair, SignJWT } from 'jose';
import type { AddressInfo } from 'node:net';

export type BaselineKind = 'sdk-no-auth' | 'bare-hono' | 'hono-rs256-sign';

async function baselineApp(kind: BaselineKind): Promise<Hono> {
  const app = new Hono();
  switch (kind) {
    case 'sdk-no-auth': {
      // The caller a validated token would describe, fixed: this baseline verifies nothing.
      const caller: AuthInfo = {
        token: 'not-verified',
        clientId: 'bench',
        scopes: ['mcp:connect', 'weather:read'],
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        extra: { sub: 'demo-user', iss: 'http://127.0.0.1', aud: 'http://127.0.0.1/mcp' },
      };
      const emit = createEmitter('resource-server', stdoutSink);
      const serveMcp = createProtocolEras(emit);
      app.post('/mcp', async (c) => {
        const text = await c.req.text();
        let json: { ok: true; value: unknown } | { ok: false };
        try {
          json = { ok: true, value: JSON.parse(text) as unknown };
        } catch {
          json = { ok: false };
        }
        return serveMcp(c.req.raw, { text, json }, caller);
      });
      return app;
    }
    case 'bare-hono':
      app.post('/mcp', async (c) => {
        const request = (await c.req.json()) as { id?: unknown };
        const caller = { sub: 'demo-user', client_id: 'bench', scopes: ['mcp:connect'] };
        return c.json({ jsonrpc: '2.0', id: request.id ?? null, result: { content: [{ type: 'text', text: JSON.stringify(caller) }], structuredContent: caller } });
      });
      return app;
    case 'hono-rs256-sign': {
      const { privateKey } = await generateKeyPair('RS256');
      app.post('/sign', async (c) => {
        const jwt = await new SignJWT({ scope: 'mcp:connect', client_id: 'bench' })
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
          .setIssuer('http://127.0.0.1').setAudience('http://127.0.0.1/mcp').setSubject('demo-user')
          .setIssuedAt().setExpirationTime('10m').setJti(crypto.randomUUID())
          .sign(privateKey);
        return c.json({ access_token: jwt, token_type: 'Bearer', expires_in: 600 });
      });
      return app;
    }
  }
}

const kind = process.argv[2] as BaselineKind;
const app = await baselineApp(kind);
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
  process.stdout.write(`${JSON.stringify({ listening: info.port })}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume();
