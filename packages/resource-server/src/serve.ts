/**
 * Runs the resource server on the host and port of its resource URI (default
 * http://localhost:8001/mcp), writing its trace to stdout as JSON lines. The only file of this
 * package that reads the environment or opens a port.
 *
 *   MCP_DEMO_RESOURCE  the canonical resource URI (its path is the MCP endpoint)
 *   MCP_DEMO_ISSUER    the authorization server whose tokens are accepted
 *   MCP_DEMO_ALLOWED_ORIGINS  comma-separated browser origins allowed besides the server's own
 *                             (e.g. the MCP Inspector's http://localhost:6274)
 *   MCP_DEMO_INTROSPECTION_SECRET  this server's secret for RFC 7662 introspection at the AS
 *                             (client_id `mcp-demo-resource-server`); unset: no revocation check
 *   MCP_DEMO_INTROSPECTION_CACHE_SECONDS  how long an "active" answer is reused (default 0)
 *   MCP_DEMO_INTROSPECT_EVERY_REQUEST=1  introspect every token (the contrast); default: subscribe
 *                             to the AS's revocation SETs and introspect only while that channel is down
 *   MCP_DEMO_LOAD_MCP_LAYER_AT_START=1  load the MCP layer once listening, not at the first MCP
 *                             request (`pnpm demo`: its client calls at once; mcp-layer.ts)
 *   MCP_DEMO_CLOCK_TOLERANCE_SECONDS  clock skew allowed on exp/iat/nbf (default 30)
 *   MCP_DEMO_TLS_CERT_FILE, MCP_DEMO_TLS_KEY_FILE, MCP_DEMO_TLS_CA_FILE  `--https`: listen with this
 *                             certificate and key (an https resource), and trust this CA, explicitly
 *                             and for loopback hosts only, in every request to the AS
 */
import { DEFAULT_ISSUER, DEFAULT_RESOURCE, ENV, RESOURCE_SERVER_CLIENT_ID } from '@mcp-auth-demo/common';
import { labTlsFromEnvironment } from '@mcp-auth-demo/local-ca';
import { buildAppOrExit, serveApp } from '@mcp-auth-demo/server-process';
import { stdoutSink } from '@mcp-auth-demo/trace';
import { createResourceServer } from './app.ts';

const resource = process.env[ENV.resource] ?? DEFAULT_RESOURCE;
const authorizationServer = process.env[ENV.issuer] ?? DEFAULT_ISSUER;
const allowedOrigins = (process.env[ENV.allowedOrigins] ?? '').split(',').map((o) => o.trim()).filter(Boolean);
const introspectionSecret = process.env[ENV.introspectionSecret];
const introspectionCache = process.env[ENV.introspectionCacheSeconds];
const clockTolerance = process.env[ENV.clockToleranceSeconds];
// `--https`: the lab's leaf to listen with. Its calls to the AS trust the lab CA through
// NODE_EXTRA_CA_CERTS, set by the orchestrator (local-ca lab-tls.ts): Node's own fetch, no undici.
const tls = labTlsFromEnvironment(process.env);

const app = buildAppOrExit('resource-server', () =>
  createResourceServer({
    resource,
    authorizationServer,
    allowedOrigins,
    onEvent: stdoutSink,
    ...(clockTolerance ? { clockToleranceSeconds: Number(clockTolerance) } : {}),
    // RFC 7662: revocation reaches this server through introspection at the AS.
    ...(introspectionSecret
      ? {
          introspection: {
            clientId: RESOURCE_SERVER_CLIENT_ID,
            clientSecret: introspectionSecret,
            ...(introspectionCache ? { cacheSeconds: Number(introspectionCache) } : {}),
            everyRequest: process.env[ENV.introspectEveryRequest] === '1',
          },
        }
      : {}),
    // DEMO DEVIATION: plain http, for loopback hosts only (config.ts enforces the "only"); none with --https.
    dangerouslyAllowLoopbackHttp: !tls,
  }),
);

serveApp({
  party: 'resource-server',
  url: resource,
  fetch: app.fetch,
  portHint: 'Set MCP_DEMO_RESOURCE=http://localhost:<port>/mcp (or pnpm demo --rs-port <port>).',
  ...(tls && { tls }),
});
// Subscribe to the AS's revocation SETs (configured-revocation.ts); the timer never holds the process.
app.revocationChannel?.start();
// `pnpm demo`: the MCP layer loads while the other servers start, not in the first MCP request.
if (process.env[ENV.loadMcpLayerAtStart] === '1') setImmediate(() => app.loadMcpLayer());
