/**
 * The resource server's configuration: a typed interface, validated when the app is built so a
 * wrong value fails at start-up with a clear message instead of as a confusing 401 later.
 *
 * - MCP authorization (2025-11-25) "Canonical Server URI": the resource identifier of RFC 8707 §2,
 *   an absolute URI without a fragment; every access token's `aud` must equal it.
 * - RFC 8414 §2: an issuer identifier uses https and has no query or fragment.
 * - MCP authorization "Communication Security" (OAuth 2.1 §1.5): https everywhere. This demo runs
 *   on plain http, which `dangerouslyAllowLoopbackHttp` permits for loopback hosts only.
 * - RFC 9068 §4: "some small leeway, usually no more than a few minutes, to account for clock skew".
 */
import { ConfigError, isLoopbackHost, protectedResourceMetadataUrl } from '@mcp-auth-demo/common';
import { type TraceSink } from '@mcp-auth-demo/trace';
import { resolveTokenProfile, type ResolvedTokenProfile, type TokenProfile } from './token-profile.ts';

export interface ResourceServerConfig {
  /**
   * The canonical resource URI of this MCP server, e.g. `http://localhost:8001/mcp`. Its path is
   * the MCP endpoint, its origin is where the server answers, and every accepted token's `aud`
   * must equal this string exactly (no normalisation, no trailing-slash leniency).
   */
  resource: string;
  /**
   * The issuer identifier of the one authorization server whose tokens this server accepts,
   * e.g. `http://localhost:9000`. Its RFC 8414 metadata is discovered at first need, and its
   * `jwks_uri` gives the keys that verify token signatures. Tokens whose `iss` differs are refused.
   */
  authorizationServer: string;
  /** Used for every outbound request (AS metadata, JWKS). Tests route it to an in-process app. */
  fetch?: typeof fetch;
  /** Receives the trace events of every decision this server takes. */
  onEvent?: TraceSink;
  /** Allowed clock skew when checking `exp` and `nbf`, in seconds (0..300). Default 30. */
  clockToleranceSeconds?: number;
  /**
   * Browser origins allowed to call the MCP endpoint (DNS-rebinding protection). A request
   * without an `Origin` header (any non-browser client) is always allowed; a request with one
   * must name an origin in this list. The resource's own origin is always included. Default:
   * only the resource's own origin. Each entry must be a serialised origin (`scheme://host[:port]`).
   */
  allowedOrigins?: string[];
  /** `resource_name` in the Protected Resource Metadata (RFC 9728 §2). */
  resourceName?: string;
  /** The current time in milliseconds since the epoch (`Date.now` by default); tests move it. */
  now?: () => number;
  /**
   * DEMO DEVIATION, named loudly: accept `http://` for the resource, the issuer and the
   * `jwks_uri` when (and only when) their host is a loopback host. Without it, https is required.
   */
  dangerouslyAllowLoopbackHttp?: boolean;
  /**
   * RFC 7662 token introspection at the authorization server, with this server's client
   * credentials. When set, every JWT that passes the local checks is also confirmed active with
   * the AS, so a revoked token is refused (the lab's revocation mechanism). Unset: tokens are
   * checked locally only, and a revoked one works until it expires.
   */
  introspection?: IntrospectionSettings;
  /**
   * What this server's authorization server's access tokens look like (token-profile.ts). Default:
   * strict RFC 9068. Each relaxation is named there and in docs/external-authorization-servers.md
   * ("Bring your own authorization server"); the issuer and audience checks are never optional.
   */
  tokenProfile?: TokenProfile;
}

export interface IntrospectionSettings {
  /** This server's client identifier at the authorization server. */
  clientId: string;
  /** Its client secret (HTTP Basic, RFC 6749 §2.3.1). */
  clientSecret: string;
  /** The introspection endpoint. Default: `introspection_endpoint` of the AS metadata (RFC 8414 §2). */
  endpoint?: string;
  /**
   * How long a positive answer ("active") is reused, in seconds (0..300). This is the bound on how
   * long a revoked token keeps working here after its revocation. Default 0: never reused, so a
   * revoked token is refused on the very next request, at one AS round trip per request.
   */
  cacheSeconds?: number;
  /**
   * True (`--introspect-every-request`): ask the AS about every token, the behaviour before
   * revocations were pushed, kept as the contrast. Default false: this server subscribes to the
   * AS's revocation SETs (revocation-channel.ts) and checks tokens locally while that channel is
   * live, introspecting only while it is not (revocation-check.ts).
   */
  everyRequest?: boolean;
  /** How often the revocation subscription is renewed (its liveness check and catch-up), ms (100..60000). Default 1000. */
  renewMs?: number;
}

/** The configuration with every default filled in, after validation. */
export interface ResolvedConfig {
  resource: string;
  /** The MCP endpoint's path, the pathname of `resource`. */
  mcpPath: string;
  /** Where its RFC 9728 metadata is served (§3.1), named in every challenge (§5.1). */
  resourceMetadataUrl: string;
  authorizationServer: string;
  fetch: typeof fetch;
  onEvent: TraceSink | undefined;
  clockToleranceSeconds: number;
  allowedOrigins: readonly string[];
  resourceName: string;
  now: () => number;
  dangerouslyAllowLoopbackHttp: boolean;
  introspection: (Required<Omit<IntrospectionSettings, 'endpoint'>> & { endpoint?: string }) | undefined;
  tokenProfile: ResolvedTokenProfile;
}

export const DEFAULT_INTROSPECTION_CACHE_SECONDS = 0;
export const DEFAULT_REVOCATION_RENEW_MS = 1_000;
const MAX_INTROSPECTION_CACHE_SECONDS = 300;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const MAX_CLOCK_TOLERANCE_SECONDS = 300;
export const DEFAULT_RESOURCE_NAME = 'mcp-auth-demo weather server';

function fail(message: string): never {
  throw new ConfigError(message);
}

function parseUrl(field: string, value: unknown): URL {
  if (typeof value !== 'string' || !URL.canParse(value)) fail(`${field} must be an absolute URL, got ${JSON.stringify(value)}`);
  return new URL(value);
}

/** https, or http on a loopback host when the demo deviation is switched on. */
export function checkSecureUrl(field: string, url: URL, allowLoopbackHttp: boolean): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowLoopbackHttp && isLoopbackHost(url.hostname)) return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
    fail(`${field} uses http (${url.href}); https is required unless dangerouslyAllowLoopbackHttp is set (loopback hosts only)`);
  }
  fail(`${field} must use https (http is allowed only for loopback hosts, as a named demo deviation): ${url.href}`);
}

function resolveResource(value: unknown, allowLoopbackHttp: boolean): URL {
  const url = parseUrl('resource', value);
  checkSecureUrl('resource', url, allowLoopbackHttp);
  // RFC 8707 §2: the resource "MUST NOT include a fragment component" (and SHOULD NOT a query).
  if (url.hash || url.search) fail(`resource must have no query and no fragment: ${String(value)}`);
  if (url.username || url.password) fail(`resource must not contain userinfo: ${String(value)}`);
  // The MCP endpoint is the resource's path; a bare origin would put it at "/".
  if (url.pathname === '/') fail(`resource must include the MCP endpoint path, e.g. ${url.origin}/mcp`);
  // Tokens are compared with this exact string, so it must already be in canonical form
  // (lowercase scheme and host, no default port, no trailing slash).
  if (url.href !== value || url.pathname.endsWith('/')) {
    fail(`resource must be written in canonical form (lowercase scheme and host, no trailing slash): ${String(value)}`);
  }
  return url;
}

function resolveIssuer(value: unknown, allowLoopbackHttp: boolean): string {
  const url = parseUrl('authorizationServer', value);
  checkSecureUrl('authorizationServer', url, allowLoopbackHttp);
  // RFC 8414 §2: the issuer is "a URL that uses the https scheme and has no query or fragment components".
  if (url.search || url.hash) fail(`authorizationServer must have no query and no fragment: ${String(value)}`);
  return value as string;
}

function resolveAllowedOrigins(value: unknown, resource: URL): string[] {
  const origins = new Set([resource.origin]);
  if (value === undefined) return [...origins];
  if (!Array.isArray(value)) fail('allowedOrigins must be an array of origins');
  for (const entry of value) {
    const url = parseUrl('allowedOrigins entry', entry);
    if (url.origin !== entry) fail(`allowedOrigins entries must be serialised origins like ${url.origin}, got ${String(entry)}`);
    origins.add(url.origin);
  }
  return [...origins];
}

function resolveClockTolerance(value: unknown): number {
  if (value === undefined) return DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_CLOCK_TOLERANCE_SECONDS) {
    fail(`clockToleranceSeconds must be a number of seconds between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}, got ${String(value)}`);
  }
  return value;
}

function resolveIntrospection(value: IntrospectionSettings | undefined, allowLoopbackHttp: boolean): ResolvedConfig['introspection'] {
  if (value === undefined) return undefined;
  if (typeof value.clientId !== 'string' || value.clientId === '') fail('introspection.clientId must be a non-empty string');
  if (typeof value.clientSecret !== 'string' || value.clientSecret === '') fail('introspection.clientSecret must be a non-empty string');
  // RFC 7662 §4: the credentials and every token go over this connection, so https (loopback http in the demo).
  if (value.endpoint !== undefined) checkSecureUrl('introspection.endpoint', parseUrl('introspection.endpoint', value.endpoint), allowLoopbackHttp);
  const cacheSeconds = value.cacheSeconds ?? DEFAULT_INTROSPECTION_CACHE_SECONDS;
  if (typeof cacheSeconds !== 'number' || !Number.isFinite(cacheSeconds) || cacheSeconds < 0 || cacheSeconds > MAX_INTROSPECTION_CACHE_SECONDS) {
    fail(`introspection.cacheSeconds must be a number of seconds between 0 and ${MAX_INTROSPECTION_CACHE_SECONDS}, got ${String(cacheSeconds)}`);
  }
  if (value.everyRequest !== undefined && typeof value.everyRequest !== 'boolean') fail('introspection.everyRequest must be true or false');
  const renewMs = value.renewMs ?? DEFAULT_REVOCATION_RENEW_MS;
  if (!Number.isInteger(renewMs) || renewMs < 100 || renewMs > 60_000) fail(`introspection.renewMs must be an integer between 100 and 60000, got ${String(renewMs)}`);
  return {
    clientId: value.clientId,
    clientSecret: value.clientSecret,
    cacheSeconds,
    everyRequest: value.everyRequest ?? false,
    renewMs,
    ...(value.endpoint ? { endpoint: value.endpoint } : {}),
  };
}

/** Validates the configuration and fills in the defaults; throws `ConfigError`. */
export function resolveConfig(config: ResourceServerConfig): ResolvedConfig {
  const allowLoopbackHttp = config.dangerouslyAllowLoopbackHttp === true;
  const resource = resolveResource(config.resource, allowLoopbackHttp);
  if (config.fetch !== undefined && typeof config.fetch !== 'function') fail('fetch must be a function');
  if (config.now !== undefined && typeof config.now !== 'function') fail('now must be a function');
  return {
    resource: resource.href,
    mcpPath: resource.pathname,
    resourceMetadataUrl: protectedResourceMetadataUrl(resource.href),
    authorizationServer: resolveIssuer(config.authorizationServer, allowLoopbackHttp),
    fetch: config.fetch ?? globalThis.fetch,
    onEvent: config.onEvent,
    clockToleranceSeconds: resolveClockTolerance(config.clockToleranceSeconds),
    allowedOrigins: resolveAllowedOrigins(config.allowedOrigins, resource),
    resourceName: config.resourceName ?? DEFAULT_RESOURCE_NAME,
    now: config.now ?? Date.now,
    dangerouslyAllowLoopbackHttp: allowLoopbackHttp,
    introspection: resolveIntrospection(config.introspection, allowLoopbackHttp),
    tokenProfile: resolveTokenProfile(config.tokenProfile, resource.href, config.introspection !== undefined),
  };
}
