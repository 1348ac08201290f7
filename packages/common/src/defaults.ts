/**
 * The demo's defaults, in one place. Every value is overridable (environment or flags in each
 * `serve.ts`, explicit config in each app factory); tests use ephemeral ports.
 */

/** Scopes of the demo's MCP server (the README and docs/journey.md list them). */
export const SCOPES = {
  /** The base scope: asked for by the 401 challenge, needed for any MCP call. */
  connect: 'mcp:connect',
  /** Needed by the `get_weather` tool; obtained by step-up authorization. */
  weatherRead: 'weather:read',
} as const;

export const DEFAULT_PORTS = {
  authorizationServer: 9000,
  resourceServer: 8001,
  clientHost: 3000,
} as const;

/** Environment variables read by the `serve.ts` files and the orchestrator. */
export const ENV = {
  /** The authorization server's issuer URL (its port is the port it listens on). */
  issuer: 'MCP_DEMO_ISSUER',
  /** The MCP server's canonical resource URI (its port is the port it listens on). */
  resource: 'MCP_DEMO_RESOURCE',
  /** The client's base URL (metadata document and callback live under it). */
  clientBase: 'MCP_DEMO_CLIENT_BASE',
  /** Browser origins (comma-separated) the MCP server accepts besides its own, e.g. an Inspector. */
  allowedOrigins: 'MCP_DEMO_ALLOWED_ORIGINS',
  /** Optional file holding the AS's signing key (a private JWK, created on first start). */
  asKeyFile: 'MCP_DEMO_AS_KEY_FILE',
  /** `1`: the authorization server accepts requests without `resource` (`pnpm serve --lenient`). */
  lenientAuthorizationServer: 'MCP_DEMO_AS_LENIENT',
  /** `1`: the AS refuses a refresh until the token's last 60 s, for SDK 1.x step-up (`--accommodate-sdk1-step-up`). */
  accommodateSdk1StepUp: 'MCP_DEMO_AS_ACCOMMODATE_SDK1_STEP_UP',
  /**
   * The resource server's client secret for RFC 7662 introspection at the authorization server
   * (the orchestrator makes a fresh random one per run and gives it to both). Unset: the AS serves
   * no introspection endpoint and the RS checks tokens locally only (no revocation).
   */
  introspectionSecret: 'MCP_DEMO_INTROSPECTION_SECRET',
  /** Seconds the RS may reuse an "active" introspection answer: the revocation delay bound. Default 0. */
  introspectionCacheSeconds: 'MCP_DEMO_INTROSPECTION_CACHE_SECONDS',
  /**
   * `1`: the MCP server introspects every token at the AS (`--introspect-every-request`), the
   * contrast to the default, where the AS pushes revocations to it as Security Event Tokens.
   */
  introspectEveryRequest: 'MCP_DEMO_INTROSPECT_EVERY_REQUEST',
  /**
   * `1`: the MCP server loads its MCP layer (SDK, zod, tools) once it listens instead of at the
   * first MCP request (resource-server mcp-layer.ts): `pnpm demo`, whose client calls at once.
   */
  loadMcpLayerAtStart: 'MCP_DEMO_LOAD_MCP_LAYER_AT_START',
  /** `1`: the authorization server asks a person (sign-in and consent page) for every request. */
  interactive: 'MCP_DEMO_INTERACTIVE',
  /**
   * Canonical URIs of further MCP servers (space-separated) the authorization server also issues
   * tokens for: `pnpm serve --resource URL` (someone's own MCP server; resource-uri.ts), the
   * second server of `pnpm demo --scenario token-for-another-server`, the audience contrast's.
   */
  otherResources: 'MCP_DEMO_OTHER_RESOURCES',
  /** `1`: the AS serves its grading facility for `pnpm client --grade` (`dangerouslyMintGradingTokens`; `pnpm serve`). */
  gradingTokens: 'MCP_DEMO_AS_GRADING_TOKENS',
  /**
   * Access token lifetimes of particular resources, space-separated `URI=seconds` pairs (the AS's
   * per-API lifetime): the 1-second tokens of `pnpm demo --scenario expired-token`.
   */
  tokenLifetimes: 'MCP_DEMO_TOKEN_LIFETIMES',
  /** Seconds of clock skew the MCP server allows on `exp`/`iat`/`nbf` (default 30; 0 when all share one clock). */
  clockToleranceSeconds: 'MCP_DEMO_CLOCK_TOLERANCE_SECONDS',
  /**
   * `--https`: the directory of the lab's local certificate authority (default
   * `$XDG_CACHE_HOME/mcp-auth-demo/local-ca`, else `~/.cache/mcp-auth-demo/local-ca`); tests point it at a temporary one.
   */
  caDir: 'MCP_DEMO_CA_DIR',
  /** `--https`: the files a server listens with (its certificate and private key) and the CA it trusts, set by the orchestrator. */
  tlsCertFile: 'MCP_DEMO_TLS_CERT_FILE',
  tlsKeyFile: 'MCP_DEMO_TLS_KEY_FILE',
  tlsCaFile: 'MCP_DEMO_TLS_CA_FILE',
} as const;

/** The resource server's client identifier at the authorization server, for RFC 7662 introspection. */
export const RESOURCE_SERVER_CLIENT_ID = 'mcp-demo-resource-server';

export const DEFAULT_ISSUER = `http://localhost:${DEFAULT_PORTS.authorizationServer}`;
/** The canonical resource URI of the MCP server: every access token's `aud` must equal it. */
export const DEFAULT_RESOURCE = `http://localhost:${DEFAULT_PORTS.resourceServer}/mcp`;
export const DEFAULT_CLIENT_BASE = `http://localhost:${DEFAULT_PORTS.clientHost}`;

/** Paths under the client's base URL. */
export const CLIENT_PATHS = {
  metadataDocument: '/client-metadata.json',
  callback: '/callback',
} as const;

/** The subject every demo authorization is approved for (auto-approved consent: a deviation). */
export const DEMO_SUBJECT = 'demo-user';
