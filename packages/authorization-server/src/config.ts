/**
 * The authorization server's configuration: a typed interface with a doc comment per field,
 * validated when the app is built (config-resolve.ts) so a bad value fails at startup, not on
 * the first request.
 * The demo's one transport deviation is named loudly: `dangerouslyAllowLoopbackHttp`.
 */
import type { TraceSink } from '@mcp-auth-demo/trace';
import type { GuardedFetch, ResolveHost } from './clients/fetch-guard.ts';
import type { SigningKey } from './tokens/keys.ts';
import type { CimdLimits } from './clients/cimd-limits.ts';
import type { IntrospectionClient } from './clients/introspection-clients.ts';

export type { CimdLimits } from './clients/cimd-limits.ts';
export type { IntrospectionClient } from './clients/introspection-clients.ts';

export interface AuthorizationServerConfig {
  /**
   * The issuer identifier (RFC 8414 §2): an https URL with no query or fragment (plain http only
   * on a loopback host, with `dangerouslyAllowLoopbackHttp`). The metadata document, every
   * endpoint URL, the `iss` of tokens and of authorization responses (RFC 9207) derive from it.
   */
  issuer: string;
  /**
   * Canonical URIs of the resource servers this AS issues tokens for (RFC 8707 §2). A request's
   * `resource` must name one of them; it becomes the token's `aud`. The demo passes the MCP
   * server's `http://localhost:8001/mcp`.
   */
  resources: string[];
  /** Scopes a client may request (RFC 6749 §3.3). Default: `mcp:connect`, `weather:read`. */
  scopesSupported?: string[];
  /**
   * Scope granted when an authorization request omits `scope`. RFC 6749 §3.3 lets the AS "process
   * the request using a pre-defined default value". Default: the base scope `mcp:connect`.
   */
  defaultScope?: string;
  /**
   * The RS256 key that signs access tokens (keys.ts), or a promise of it: serve.ts starts
   * generating (or loading, key-file.ts) the key and listens meanwhile, so key generation is off
   * the start-up path; /jwks and /token wait for the key, everything else answers at once.
   */
  signingKey: SigningKey | Promise<SigningKey>;
  /**
   * DEMO DEVIATION. When true, plain-http Client ID Metadata Document URLs are accepted, for
   * LOOPBACK hosts only, and only when the issuer itself is on loopback (checked here). The CIMD
   * draft (§3) requires https; a local demo has no certificates. Redirect URIs need no flag: MCP
   * allows `http://localhost` redirect URIs anyway (RFC 8252 §7.3).
   */
  dangerouslyAllowLoopbackHttp: boolean;
  /**
   * DEMO DEVIATION. When true, `POST <issuer>/grading/tokens` gives the holder of a valid token its
   * twin, expired or for another of `resources`, so `pnpm client URL --grade` can test an MCP
   * server's expiry and audience checks (endpoints/grading-tokens.ts). Loopback issuer only
   * (checked here); `pnpm serve` sets it. Default false.
   */
  dangerouslyMintGradingTokens?: boolean;
  /** How Client ID Metadata Documents are fetched. Default: `fetchPinned`, connecting only to the vetted address. */
  fetch?: GuardedFetch;
  /** DNS lookup used by the SSRF check (all addresses of a name). Default: `dns.lookup`, all: true. */
  resolveHost?: ResolveHost;
  /** Clock in milliseconds (code expiry, token `iat`/`exp`, the CIMD cache). Default: `Date.now`. */
  now?: () => number;
  /**
   * The one demo account: the subject every authorization is approved for, and the username of
   * the sign-in page (DEMO DEVIATION: one fixed account). Default: `demo-user`.
   */
  subject?: string;
  /**
   * True: every authorization request gets the sign-in and consent page (`pnpm demo --interactive`).
   * False (default, headless): a request whose redirect URI is on loopback is auto-approved (a named
   * deviation: the code cannot leave this machine); any other is refused with `access_denied`,
   * since no person can be asked (consent.ts).
   */
  interactive?: boolean;
  /** How long a pending authorization request waits for the person, seconds. Default 600. */
  interactionTtlSeconds?: number;
  /** Most authorization requests waiting for a person at once (a tenth of them per client). Default 1000. */
  maxPendingAuthorizations?: number;
  /** Authorization code lifetime, seconds. RFC 6749 §4.1.2: short, at most 10 minutes. Default 60. */
  codeTtlSeconds?: number;
  /** Access token lifetime, seconds (MCP: "SHOULD issue short-lived access tokens"). Default 600. */
  accessTokenTtlSeconds?: number;
  /**
   * Access token lifetimes for particular resources, seconds, overriding `accessTokenTtlSeconds`
   * (real authorization servers set token lifetime per API). Each key must be one of `resources`.
   * The demo gives the MCP server of `pnpm demo --scenario expired-token` 1-second tokens.
   */
  accessTokenTtlSecondsByResource?: Record<string, number>;
  /**
   * Most authorization codes issued and not yet redeemed, all clients together; when reached,
   * /authorize answers `temporarily_unavailable` until codes are redeemed or expire (codes.ts).
   * Default 10000.
   */
  maxPendingCodes?: number;
  /** Most unredeemed codes for one client_id (so one client cannot fill the store). Default 1000. */
  maxPendingCodesPerClient?: number;
  /**
   * Most redeemed codes remembered for replay detection (RFC 6749 §4.1.2 revocation); the oldest
   * is forgotten first. Default 100000.
   */
  maxRedeemedCodes?: number;
  /** A refresh token family lives at most this long after the authorization that started it, seconds. Default 86400 (24 h). */
  refreshTokenAbsoluteSeconds?: number;
  /** A refresh token family dies after this long without a refresh, seconds. Default 7200 (2 h). */
  refreshTokenIdleSeconds?: number;
  /**
   * AN ACCOMMODATION, off by default (`--accommodate-sdk1-step-up`): refuse a refresh until the
   * grant's newest access token is in its last 60 s, so that `@modelcontextprotocol/sdk` 1.x,
   * which refreshes on 403 insufficient_scope (typescript-sdk #2255), authorizes again instead.
   * Costs: a rule RFC 6749 §6 does not have; every early refresh (proactive, or a host calling
   * the SDK's auth()) is refused, and an SDK 1.x client without invalidateCredentials still
   * dead-ends (refresh-token-grant.ts). Default false: a valid refresh is accepted at any time.
   */
  accommodateSdk1StepUp?: boolean;
  /** Most refresh token families alive at once; beyond, grants get no refresh token. Default 10000. */
  maxRefreshFamilies?: number;
  /** Limits on fetching and caching Client ID Metadata Documents. */
  cimd?: Partial<CimdLimits>;
  /**
   * Offer RFC 7591 Dynamic Client Registration: a `registration_endpoint` in the metadata and
   * `POST /register` for public clients. MCP keeps it as a MAY, for clients that predate
   * Client ID Metadata Documents. False makes a CIMD-only server: no endpoint, no metadata member.
   * Default true.
   */
  dynamicClientRegistration?: boolean;
  /**
   * Most dynamically registered clients kept in memory at once (a demo store, see
   * registered-clients.ts). When full, a registration evicts a never-used registration older
   * than `registrationGraceSeconds` or a client idle for `registeredClientIdleSeconds`, never a
   * recently active one; with none to evict it is refused (503 temporarily_unavailable).
   * Default 1000.
   */
  maxRegisteredClients?: number;
  /**
   * Resource servers allowed to call the RFC 7662 introspection endpoint, each with its client
   * credentials and the one resource whose tokens it may ask about (its `resource` must be one of
   * `resources`). Empty (the default): no endpoint and no `introspection_endpoint` in the metadata.
   */
  introspectionClients?: IntrospectionClient[];
  /**
   * How revocation SETs are pushed to subscribed resource servers (RFC 8935; revocation-events.ts).
   * Default: the global `fetch`. Tests route it to an in-process resource server.
   */
  securityEventFetch?: typeof fetch;
  /** How long a registration that was never used is protected from eviction, seconds. Default 600. */
  registrationGraceSeconds?: number;
  /** How long a used registered client is protected from eviction after its last use, seconds. Default 86400. */
  registeredClientIdleSeconds?: number;
  /**
   * Browser origins (serialised, e.g. `http://localhost:6274`) of browser-based MCP clients that
   * may call /token and /register from a web page (CORS); a request from any other page's origin
   * is refused (browser-origins.ts). Native clients send no Origin and need no entry. Default none.
   */
  allowedOrigins?: string[];
  /**
   * LENIENT, a named deviation for `pnpm serve --lenient`: a request without `resource` is not
   * refused; its code and token get this audience instead (RFC 8707 §2 lets an AS apply a
   * default resource). MCP says clients MUST send `resource`, so a token like this names no MCP
   * server: the MCP server refuses it, which is the lesson `--lenient` exists to show. Default:
   * unset, and `resource` is required (resource-indicators.ts).
   */
  dangerouslyDefaultAudience?: string;
  /** Receives a trace event for every decision. Default: none. */
  onEvent?: TraceSink;
}

/** The configuration with every default filled in, as the modules use it. */
export interface ResolvedConfig extends Required<Omit<AuthorizationServerConfig, 'onEvent' | 'cimd' | 'signingKey' | 'dangerouslyDefaultAudience'>> {
  /** The key, once it exists (checked). */
  signingKey: Promise<SigningKey>;
  onEvent: TraceSink | undefined;
  dangerouslyDefaultAudience: string | undefined;
  cimd: CimdLimits;
  /** True when the issuer's host is loopback (gates the loopback CIMD fetches of CIMD §6.5). */
  issuerIsLoopback: boolean;
}
