/**
 * Runs the authorization server on its issuer URL (default http://localhost:9000). The only file
 * of this package that reads the environment and opens a port.
 *
 *   MCP_DEMO_ISSUER    the issuer URL; the server listens on its host and port
 *   MCP_DEMO_RESOURCE  the MCP server's canonical URI, the one resource tokens are issued for
 *   MCP_DEMO_OTHER_RESOURCES  further MCP servers' URIs (space-separated) it also issues tokens for
 *                      (pnpm serve --resource URL; each an absolute URI without fragment, RFC 8707 §2)
 *   MCP_DEMO_AS_GRADING_TOKENS=1  serve the grading facility of pnpm client --grade (a named
 *                      deviation, loopback issuer only: endpoints/grading-tokens.ts)
 *   MCP_DEMO_TOKEN_LIFETIMES  access token lifetimes of particular resources: space-separated
 *                      `URI=seconds` pairs (others get the default, 600 s)
 *   MCP_DEMO_ALLOWED_ORIGINS  comma-separated browser origins that may call /token and /register
 *   MCP_DEMO_AS_KEY_FILE      optional: a file holding the signing key (created on first start), so
 *                             tokens survive a restart; without it a fresh key is generated per start
 *   MCP_DEMO_AS_LENIENT=1  accept requests without `resource` (pnpm serve --lenient; config.ts)
 *   MCP_DEMO_INTROSPECTION_SECRET  the MCP server's secret for RFC 7662 introspection (its
 *                      client_id is `mcp-demo-resource-server`); unset: no introspection endpoint
 *   MCP_DEMO_AS_ACCOMMODATE_SDK1_STEP_UP=1  refuse a refresh until the token's last 60 s, the opt-in
 *                      accommodation for typescript-sdk #2255 (config.ts accommodateSdk1StepUp)
 *   MCP_DEMO_INTERACTIVE=1  show the sign-in and consent page for every request (else headless:
 *                      loopback redirect URIs auto-approved, any other refused)
 *   MCP_DEMO_TLS_CERT_FILE, MCP_DEMO_TLS_KEY_FILE, MCP_DEMO_TLS_CA_FILE  `--https`: listen with this
 *                      certificate and key (an https issuer), and trust this CA, explicitly and for
 *                      loopback hosts only, when fetching a CIMD document or pushing revocations
 *
 * The key is generated (or loaded) while the server starts listening, not before: only /jwks and
 * /token wait for it.
 */
import { DEFAULT_ISSUER, DEFAULT_RESOURCE, ENV, isLoopbackHost, parseResourceList, RESOURCE_SERVER_CLIENT_ID } from '@mcp-auth-demo/common';
import { labTlsFromEnvironment } from '@mcp-auth-demo/local-ca';
import { buildAppOrExit, serveApp } from '@mcp-auth-demo/server-process';
import { stdoutSink } from '@mcp-auth-demo/trace';
import { createAuthorizationServer } from './app.ts';
import { fetchPinned } from './clients/pinned-fetch.ts';
import { loadOrCreateSigningKey } from './tokens/key-file.ts';
import { generateSigningKey } from './tokens/keys.ts';

/** The audience a lenient server gives a token whose request named no resource: no MCP server's URI. */
const LENIENT_DEFAULT_AUDIENCE = 'urn:mcp-auth-demo:no-resource-named';

const issuer = process.env[ENV.issuer] || DEFAULT_ISSUER;
const resource = process.env[ENV.resource] || DEFAULT_RESOURCE;
// RFC 8707 §2 checked in parseResourceList: a bad entry is a ConfigError, and the server exits saying why.
const otherResources = buildAppOrExit('authorization-server', () => parseResourceList(process.env[ENV.otherResources]));
// `URI=seconds` pairs; a bad number is refused by the config (ConfigError, the server exits saying why).
const tokenLifetimes = Object.fromEntries(
  (process.env[ENV.tokenLifetimes] ?? '').split(' ').filter(Boolean).map((pair) => {
    const at = pair.lastIndexOf('=');
    return [pair.slice(0, at), Number(pair.slice(at + 1))];
  }),
);
const allowedOrigins = (process.env[ENV.allowedOrigins] ?? '').split(',').map((o) => o.trim()).filter(Boolean);

const keyFile = process.env[ENV.asKeyFile];
const signingKey = keyFile ? loadOrCreateSigningKey(keyFile) : generateSigningKey();
signingKey.catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
const introspectionSecret = process.env[ENV.introspectionSecret];
const interactive = process.env[ENV.interactive] === '1';
// `--https`: the lab's leaf to listen with, and its CA to trust for loopback hosts. The CIMD fetch
// pins the vetted address and names the CA itself; the revocation pushes go through Node's own
// fetch, which trusts the CA through NODE_EXTRA_CA_CERTS (local-ca lab-tls.ts).
const tls = labTlsFromEnvironment(process.env);

const app = buildAppOrExit('authorization-server', () =>
  createAuthorizationServer({
    issuer,
    resources: [resource, ...otherResources],
    accessTokenTtlSecondsByResource: tokenLifetimes,
    allowedOrigins,
    signingKey,
    // The named local-demo deviation (http CIMD URLs on loopback), only for an http loopback issuer:
    // with --https there is no deviation left, and an http client_id is refused as anywhere else.
    dangerouslyAllowLoopbackHttp: !tls && URL.canParse(issuer) && isLoopbackHost(new URL(issuer).hostname),
    ...(tls && {
      fetch: (url: string, init: RequestInit, vetted: Parameters<typeof fetchPinned>[2]) => fetchPinned(url, init, vetted, { loopbackCa: tls.ca }),
    }),
    // `pnpm serve --lenient`: what a client that omits `resource` gets (see config.ts).
    ...(process.env[ENV.lenientAuthorizationServer] === '1' ? { dangerouslyDefaultAudience: LENIENT_DEFAULT_AUDIENCE } : {}),
    // RFC 7662: the MCP server may ask whether a token is still active (how revocation reaches it).
    ...(introspectionSecret
      ? { introspectionClients: [{ client_id: RESOURCE_SERVER_CLIENT_ID, client_secret: introspectionSecret, resource }] }
      : {}),
    interactive,
    dangerouslyMintGradingTokens: process.env[ENV.gradingTokens] === '1',
    accommodateSdk1StepUp: process.env[ENV.accommodateSdk1StepUp] === '1',
    onEvent: stdoutSink,
  }),
);

serveApp({
  party: 'authorization-server',
  url: issuer,
  fetch: app.fetch,
  portHint: 'Set MCP_DEMO_ISSUER=http://localhost:<port> (or pnpm demo --as-port <port>).',
  ...(tls && { tls }),
});
