/**
 * Test support (imported by the *.test.ts files only): a stand-in authorization server that
 * publishes RFC 8414 metadata and a JWKS from an in-process Hono app, mints RFC 9068 access
 * tokens with a test RSA key, and counts how often its documents are fetched. The resource
 * server reaches it through the injected `fetch`; no port is opened for it. `serveTestSetup` serves
 * the resource server itself on 127.0.0.1, for the tests that drive an SDK client over real HTTP.
 *
 * Nothing here stubs the resource server's own code: tests drive the real app with real tokens.
 */
import { createAdaptorServer } from '@hono/node-server';
import { parseWwwAuthenticate, type Challenge } from '@mcp-auth-demo/common';
import { type TraceEvent, type TraceKind } from '@mcp-auth-demo/trace';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { createResourceServer } from '../src/app.ts';
import type { ResourceServerConfig } from '../src/config.ts';

export const TEST_RESOURCE = 'http://localhost:8001/mcp';
export const TEST_ISSUER = 'http://localhost:9000';
export const TEST_PRM_URL = 'http://localhost:8001/.well-known/oauth-protected-resource/mcp';
export const TEST_CLIENT_ID = 'http://localhost:3000/client-metadata.json';

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The public key as PEM text: what an algorithm-confusion attacker uses as an HMAC secret. */
  publicPem: string;
}

export async function createTestKey(kid: string): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export interface MintOptions {
  /** Claims to add or override; a claim set to `undefined` is left out. */
  claims?: Record<string, unknown>;
  /** Protected-header parameters to add or override; `undefined` leaves one out. */
  header?: Record<string, unknown>;
  /** Sign with this key instead of the authorization server's current one. */
  key?: TestKey;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

export interface TestAuthorizationServerOptions {
  issuer?: string;
  resource?: string;
  /** Milliseconds since the epoch; tokens are minted relative to it. */
  now?: () => number;
  /** Replaces fields of the metadata document (e.g. a wrong `issuer`). */
  metadata?: Record<string, unknown>;
  /** Which well-known document it publishes (RFC 8414 by default, or only OIDC Discovery). */
  wellKnown?: 'oauth-authorization-server' | 'openid-configuration';
  /** Serve an RFC 7662 introspection endpoint for this one resource server. */
  introspection?: { clientId: string; clientSecret: string };
}

/** How the stand-in introspection endpoint behaves: a real answer, or one way of failing. */
export type IntrospectionMode = 'answer' | 'unreachable' | 'not-json' | 'no-active' | 'http-500';

/** A 40-character secret for the tests' introspection credentials. */
export const TEST_INTROSPECTION = { clientId: 'test-rs', clientSecret: 'test-secret-0123456789-0123456789-abcdef' };

export async function createTestAuthorizationServer(options: TestAuthorizationServerOptions = {}) {
  const issuer = options.issuer ?? TEST_ISSUER;
  const resource = options.resource ?? TEST_RESOURCE;
  const now = options.now ?? Date.now;
  let signingKey = await createTestKey('test-key-1');
  let published: TestKey[] = [signingKey];
  const counts = { metadata: 0, jwks: 0 };
  /** Tokens (by the whole string) the stand-in AS says are inactive, and answers it overrides. */
  const revoked = new Set<string>();
  const overrides = new Map<string, Record<string, unknown>>();
  const introspection = { mode: 'answer' as IntrospectionMode, calls: 0 };

  // RFC 8414 §3.1 / OIDC: the well-known suffix goes between the host and the issuer's path.
  const issuerPath = new URL(issuer).pathname.replace(/\/+$/, '');
  const app = new Hono();
  app.get(`/.well-known/${options.wellKnown ?? 'oauth-authorization-server'}${issuerPath}`, (c) => {
    counts.metadata += 1;
    return c.json({
      issuer,
      jwks_uri: `${issuer}/jwks`,
      token_endpoint: `${issuer}/token`,
      ...(options.introspection ? { introspection_endpoint: `${issuer}/introspect` } : {}),
      ...options.metadata,
    });
  });
  // RFC 7662 §2: authenticates the resource server (Basic), then answers from the token's claims.
  app.post(`${issuerPath}/introspect`, async (c) => {
    introspection.calls += 1;
    const expected = `Basic ${Buffer.from(`${options.introspection?.clientId}:${options.introspection?.clientSecret}`).toString('base64')}`;
    if (!options.introspection || c.req.header('authorization') !== expected) return c.json({ error: 'invalid_client' }, 401);
    if (introspection.mode === 'http-500') return c.json({ error: 'server_error' }, 500);
    if (introspection.mode === 'not-json') return c.text('<html>maintenance</html>');
    if (introspection.mode === 'no-active') return c.json({ scope: 'mcp:connect' });
    const token = new URLSearchParams(await c.req.text()).get('token') ?? '';
    if (overrides.has(token)) return c.json(overrides.get(token));
    const parts = token.split('.');
    if (revoked.has(token) || parts.length !== 3) return c.json({ active: false });
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as Record<string, unknown>;
    return c.json({ active: true, ...claims, token_type: 'Bearer' });
  });
  app.get(`${issuerPath}/jwks`, (c) => {
    counts.jwks += 1;
    return c.json({ keys: published.map((key) => key.publicJwk) });
  });

  /** The `fetch` the resource server gets: only the issuer's origin is reachable. */
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== new URL(issuer).origin) throw new TypeError(`test fetch refused ${url.href}`);
    if (url.pathname.endsWith('/introspect') && introspection.mode === 'unreachable') throw new TypeError('fetch failed: ECONNREFUSED');
    return app.request(url.href, init);
  };

  return {
    issuer,
    app,
    fetch: fetchImpl,
    counts,
    get signingKey() {
      return signingKey;
    },
    /** The introspection endpoint's behaviour (`answer` by default; tests switch it) and its call count. */
    introspection,
    /** From now on, introspection says `token` is inactive (the AS revoked it). */
    revoke(token: string): void {
      revoked.add(token);
    },
    /** From now on, introspection answers `body` for `token` (opaque tokens, odd answers). */
    answer(token: string, body: Record<string, unknown>): void {
      overrides.set(token, body);
    },
    /** Adds a key to the published JWKS (key rotation). */
    publish(key: TestKey): void {
      published.push(key);
    },
    /** What a restart of an authorization server without a persistent key does: a new key replaces the old one. */
    async restart(): Promise<void> {
      signingKey = await createTestKey(`test-key-${randomUUID().slice(0, 8)}`);
      published = [signingKey];
    },
    /** A valid RFC 9068 access token for `resource`, unless the options say otherwise. */
    async mint(mintOptions: MintOptions = {}): Promise<string> {
      const key = mintOptions.key ?? signingKey;
      const iat = Math.floor(now() / 1000);
      const claims = withoutUndefined({
        iss: issuer,
        sub: 'alice',
        aud: resource,
        client_id: TEST_CLIENT_ID,
        scope: 'mcp:connect weather:read',
        iat,
        exp: iat + 300,
        jti: randomUUID(),
        ...mintOptions.claims,
      });
      const header = withoutUndefined({ alg: 'RS256', typ: 'at+jwt', kid: key.kid, ...mintOptions.header });
      return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
    },
  };
}

export type TestAuthorizationServer = Awaited<ReturnType<typeof createTestAuthorizationServer>>;

/** A resource server wired to a fresh test authorization server, recording its trace. */
export async function createTestSetup(config: Partial<ResourceServerConfig> = {}, asOptions: TestAuthorizationServerOptions = {}) {
  const as = await createTestAuthorizationServer({ now: config.now, ...asOptions });
  const events: TraceEvent[] = [];
  const app = createResourceServer({
    resource: TEST_RESOURCE,
    authorizationServer: as.issuer,
    fetch: as.fetch,
    onEvent: (event) => events.push(event),
    dangerouslyAllowLoopbackHttp: true,
    ...config,
  });
  /** The events of one kind, in order. */
  function eventsOf<K extends TraceKind>(kind: K): Extract<TraceEvent, { kind: K }>[] {
    return events.filter((event): event is Extract<TraceEvent, { kind: K }> => event.kind === kind);
  }
  return { app, as, events, eventsOf };
}

/**
 * `createTestSetup`, served over real HTTP on 127.0.0.1 at an ephemeral port. The resource URI
 * names that port, so the app is made once the socket listens. `onRequest` sees every request
 * first (to record its headers); `close()` ends the server and its connections.
 */
export async function serveTestSetup(onRequest: (request: Request) => void = () => {}) {
  let app: Hono | undefined;
  const server = createAdaptorServer({
    fetch: (request) => {
      onRequest(request);
      return app!.fetch(request);
    },
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const resource = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  const setup = await createTestSetup({ resource }, { resource });
  app = setup.app;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { ...setup, resource, close };
}

/** JSON-RPC messages a client sends. */
export const rpc = {
  initialize: (id = 1) => ({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '0' } },
  }),
  listTools: (id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/list' }),
  callTool: (name: string, args: Record<string, unknown> = {}, id = 1) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args },
  }),
};

export interface PostOptions {
  token?: string;
  headers?: Record<string, string>;
  url?: string;
  method?: string;
}

/** A request to the MCP endpoint the way a Streamable HTTP client sends it. */
export function mcpRequest(app: Hono, body: unknown, options: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  const method = options.method ?? 'POST';
  const init: RequestInit = { method, headers };
  if (method === 'POST') init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return Promise.resolve(app.request(options.url ?? TEST_RESOURCE, init));
}

/** The one challenge of a `WWW-Authenticate` value, read by the parser clients use (common's). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (header === null) return undefined;
  const challenges = parseWwwAuthenticate(header);
  if (challenges.length !== 1) throw new Error(`expected exactly one challenge in ${JSON.stringify(header)}`);
  return challenges[0];
}
export * from './revocation-events.ts';
export * from './modern-era.ts';
