/**
 * `createAuthorizationServer(config)`: the authorization server as a Hono app. It opens no port
 * (serve.ts does), so tests call `app.request()` directly.
 *
 * Routes come from the RFC 8414 metadata document (metadata.ts): the URLs it advertises are the
 * paths that answer. Every error, from any route, goes through `app.onError` to the one mapper
 * `oauthErrorResponse`; anything that is not an `OAuthError` becomes a bare `server_error`.
 */
import { describeRejection, GRADING_TOKENS_PATH, OAuthError, oauthErrorResponse, type OAuthErrorCode } from '@mcp-auth-demo/common';
import { createEmitter } from '@mcp-auth-demo/trace';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createAuthorizeHandler } from './endpoints/authorize.ts';
import { allowedOriginsCors, publicDocumentCors, refuseForeignOrigins } from './browser-origins.ts';
import { createClientResolver } from './clients/resolve-client.ts';
import { CodeStore } from './state/codes.ts';
import type { AuthorizationServerConfig } from './config.ts';
import { resolveConfig } from './config-resolve.ts';
import { longestAccessTokenTtl } from './tokens/token-lifetimes.ts';
import { ConsentInteraction } from './endpoints/consent-interaction.ts';
import { createRegistrationHandler } from './clients/dynamic-client-registration.ts';
import { errorPage } from './pages/error-page.ts';
import { jwksDocument } from './tokens/keys.ts';
import { clientOf } from './observations.ts';
import { authorizationServerMetadata, metadataPath, routePath, type ServedMetadata } from './endpoints/metadata.ts';
import { RegisteredClients } from './clients/registered-clients.ts';
import { RefreshTokenStore } from './state/refresh-tokens.ts';
import { RevokedTokens } from './state/revoked-tokens.ts';
import { createTokenHandler } from './endpoints/token-endpoint.ts';
import { createIntrospectionHandler } from './endpoints/token-introspection.ts';
import { createGradingTokensHandler } from './endpoints/grading-tokens.ts';
import { createRevocationEventsHandler } from './endpoints/revocation-events.ts';
import { SecurityEventTransmitter } from './endpoints/security-event-transmitter.ts';
import { RevocationLog } from './state/revocation-log.ts';

/** The app, plus what the AS knows that a test or a later introspection endpoint may ask. */
export type AuthorizationServerApp = Hono & {
  /** The RFC 8414 document the routes were built from. */
  readonly metadata: ServedMetadata;
  /** True when the access token `jti` was revoked (a replayed code, a reused refresh token). */
  isRevoked(jti: string): boolean;
  /** The revoked-token record itself (revoked-tokens.ts), for the introspection endpoint. */
  readonly revoked: RevokedTokens;
  /** The authorization code store (its sizes are what tests and the benchmark watch). */
  readonly codes: CodeStore;
  /** The refresh token families (refresh-tokens.ts). */
  readonly refreshTokens: RefreshTokenStore;
  /** Every revocation of this run, in order (revocation-log.ts). */
  readonly revocationLog: RevocationLog;
  /** Pushes revocation SETs to subscribed resource servers (security-event-transmitter.ts). */
  readonly transmitter: SecurityEventTransmitter;
};

/** Token requests are a few short form fields; anything bigger is not one. */
const TOKEN_REQUEST_MAX_BYTES = 16 * 1024;
/** A registration request is a small JSON object (a name, a few redirect URIs); the same bound. */
const REGISTRATION_REQUEST_MAX_BYTES = 16 * 1024;
/** An introspection request is one token and a hint; the same bound. */
const INTROSPECTION_REQUEST_MAX_BYTES = 16 * 1024;
/** A sign-in or consent form: ids, a token, a username and a password. */
const INTERACTION_FORM_MAX_BYTES = 4 * 1024;

/** Answers, errors included, that a cache must never keep or replay to anyone else. */
const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
  c.res.headers.set('Pragma', 'no-cache');
};

/** Bounds a request body; a larger one gets 413 with the endpoint's own error code. */
function limitRequestBody(maxSize: number, error: OAuthErrorCode, what: string): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new OAuthError(error, `The ${what} body is larger than ${maxSize} bytes.`, { status: 413 });
    },
  });
}

/** A person's browser gets errors as a small HTML page; programs get JSON. */
function wantsHtml(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/html');
}

export function createAuthorizationServer(input: AuthorizationServerConfig): AuthorizationServerApp {
  const config = resolveConfig(input); // fail fast: throws on a bad issuer, empty resources, ...
  const emit = createEmitter('authorization-server', config.onEvent);
  const metadata = authorizationServerMetadata(config);
  // The one record of revoked access tokens (revoked-tokens.ts): replays write it, readers ask it.
  // Each new revocation also enters the log that subscribed resource servers are pushed (RFC 8935).
  const revocationLog = new RevocationLog(config.now);
  const revoked = new RevokedTokens(config.now, (jti, expiresAtMs, aud) => revocationLog.append(jti, expiresAtMs, aud));
  const transmitter = new SecurityEventTransmitter({
    issuer: config.issuer,
    log: revocationLog,
    signingKey: config.signingKey,
    fetch: config.securityEventFetch,
    now: config.now,
    emit,
  });
  // Refresh token families (refresh-tokens.ts); a reuse revokes into the same revoked store.
  const refreshTokens = new RefreshTokenStore({
    now: config.now,
    absoluteSeconds: config.refreshTokenAbsoluteSeconds,
    idleSeconds: config.refreshTokenIdleSeconds,
    maxFamilies: config.maxRefreshFamilies,
    revoked,
  });
  const codes = new CodeStore({
    now: config.now,
    codeTtlSeconds: config.codeTtlSeconds,
    replayWindowSeconds: longestAccessTokenTtl(config),
    maxPendingCodes: config.maxPendingCodes,
    maxPendingCodesPerClient: config.maxPendingCodesPerClient,
    maxRedeemedCodes: config.maxRedeemedCodes,
  });
  // RFC 7591 registrations, per app instance; none at all when registration is turned off.
  const registered = config.dynamicClientRegistration
    ? new RegisteredClients({
        maxClients: config.maxRegisteredClients,
        unusedGraceSeconds: config.registrationGraceSeconds,
        idleSeconds: config.registeredClientIdleSeconds,
        now: config.now,
      })
    : undefined;
  const resolveClient = createClientResolver(config, emit, registered);

  const paths = {
    metadata: metadataPath(config.issuer),
    authorization: routePath(metadata.authorization_endpoint),
    token: routePath(metadata.token_endpoint),
    jwks: routePath(metadata.jwks_uri),
    // Only when the metadata document advertises it: no member, no route (a 404).
    registration: metadata.registration_endpoint ? routePath(metadata.registration_endpoint) : undefined,
    introspection: metadata.introspection_endpoint ? routePath(metadata.introspection_endpoint) : undefined,
    revocationEvents: metadata.revocation_events_endpoint ? routePath(metadata.revocation_events_endpoint) : undefined,
    // Where the sign-in and consent forms post: beside the authorization endpoint (not in the metadata).
    interaction: `${routePath(metadata.authorization_endpoint).replace(/\/$/, '')}/interaction`,
  };
  const interaction = new ConsentInteraction({
    config,
    codes,
    emit,
    path: paths.interaction,
    ttlSeconds: config.interactionTtlSeconds,
    maxPending: config.maxPendingAuthorizations,
  });

  const app = new Hono();

  // Who may call what from a web page (browser-origins.ts): public documents, any origin; the
  // endpoints that mint tokens or registrations, the allowed origins only, and a foreign Origin
  // is refused. /authorize is a navigation and needs no CORS.
  for (const path of [paths.metadata, paths.jwks]) app.use(path, publicDocumentCors());
  const ownOrigin = new URL(config.issuer).origin;
  for (const path of [paths.token, paths.registration]) {
    if (!path) continue;
    app.use(path, allowedOriginsCors(config.allowedOrigins));
    app.use(path, refuseForeignOrigins(config.allowedOrigins, ownOrigin, 'invalid_request'));
  }

  // RFC 8414 §3: the metadata document, at the well-known URI derived from the issuer.
  app.get(paths.metadata, (c) => {
    emit('as_metadata.served', { path: c.req.path });
    return c.json(metadata);
  });

  // RFC 7517 §5: the public signing key, named by `jwks_uri`.
  app.get(paths.jwks, async (c) => c.json(jwksDocument(await config.signingKey)));

  // RFC 6749 §3.1: the authorization endpoint "MUST support the use of the HTTP GET method".
  app.get(paths.authorization, createAuthorizeHandler({ config, resolveClient, codes, interaction, emit }));

  // The sign-in and consent forms (consent-interaction.ts), a person's browser posting them.
  app.post(
    paths.interaction,
    limitRequestBody(INTERACTION_FORM_MAX_BYTES, 'invalid_request', 'sign-in or consent form'),
    (c) => interaction.handle(c),
  );

  // RFC 6749 §5.1: "Cache-Control: no-store" and "Pragma: no-cache" with every token; errors get them too.
  app.use(paths.token, noStore);
  // A request that revoked tokens (a replayed code, a reused refresh token) is answered once the
  // revocation was pushed to subscribed resource servers (at most SET_PUSH_TIMEOUT_MS): when the
  // replayer hears "invalid_grant", the resource servers already refuse the token (docs/revocation.md).
  app.use(paths.token, async (_c, next) => {
    await next();
    await transmitter.settled();
  });
  // RFC 6749 §3.2: "The client MUST use the HTTP POST method when making access token requests."
  app.post(
    paths.token,
    limitRequestBody(TOKEN_REQUEST_MAX_BYTES, 'invalid_request', 'token request'),
    createTokenHandler({ config, codes, revoked, refreshTokens, emit }),
  );

  // RFC 7591 §3: the client registration endpoint (POST, a JSON body), when registration is on.
  if (paths.registration && registered) {
    // Each answer is one client's registration, never to be replayed from a cache to another
    // (RFC 7591 §3.2.1 shows "Cache-Control: no-store" and "Pragma: no-cache"); errors get them too.
    app.use(paths.registration, noStore);
    app.post(
      paths.registration,
      limitRequestBody(REGISTRATION_REQUEST_MAX_BYTES, 'invalid_client_metadata', 'registration request'),
      createRegistrationHandler({ config, clients: registered, emit }),
    );
  }

  // RFC 7662 §2.1: the introspection endpoint (POST, a form body), for authenticated resource
  // servers. Its answers describe a token, so no cache may keep them; errors get no-store too.
  if (paths.introspection) {
    app.use(paths.introspection, noStore);
    app.post(
      paths.introspection,
      limitRequestBody(INTROSPECTION_REQUEST_MAX_BYTES, 'invalid_request', 'introspection request'),
      createIntrospectionHandler({ config, revoked, emit }),
    );
  }

  // DEMO DEVIATION, off by default (grading-tokens.ts): twins of a held token for `pnpm client --grade`.
  if (config.dangerouslyMintGradingTokens) {
    const path = `${new URL(config.issuer).pathname.replace(/\/$/, '')}${GRADING_TOKENS_PATH}`;
    app.post(path, limitRequestBody(TOKEN_REQUEST_MAX_BYTES, 'invalid_request', 'grading request'), createGradingTokensHandler({ config, revoked }));
  }

  // The revocation events endpoint (revocation-events.ts): the same resource servers subscribe to
  // revocation SETs and catch up. Its answers name revoked tokens: no cache keeps them.
  if (paths.revocationEvents) {
    app.use(paths.revocationEvents, noStore);
    app.post(
      paths.revocationEvents,
      limitRequestBody(INTROSPECTION_REQUEST_MAX_BYTES, 'invalid_request', 'revocation events request'),
      createRevocationEventsHandler({ config, log: revocationLog, transmitter, emit }),
    );
  }

  // The one place errors become responses. The trace event is emitted before the response leaves.
  function reject(c: Context, error: unknown): Response {
    // Only the authorization endpoint and the forms are visited by a person's browser; the others
    // answer JSON whatever Accept says (RFC 6749 §5.2 and RFC 7591 §3.2.2: errors are application/json).
    // Errors redirected to the client (RFC 6749 §4.1.2.1) are redirects whoever asked.
    const forPerson =
      c.req.path === paths.interaction || (c.req.path === paths.authorization && wantsHtml(c));
    const redirected = error instanceof OAuthError && error.options.redirect !== undefined;
    const place = c.req.path === paths.interaction ? 'interaction' : 'authorization';
    const response = forPerson && !redirected ? errorPage(error, place) : oauthErrorResponse(error);
    const client_id = clientOf(c.req.raw);
    emit('request.rejected', { ...describeRejection(c.req.raw, error, response), ...(client_id ? { client_id } : {}) });
    return response;
  }
  app.onError((error, c) => reject(c, error));
  app.notFound((c) => reject(c, new OAuthError('invalid_request', `Nothing here: ${c.req.method} ${new URL(c.req.url).pathname}.`, { status: 404 })));

  return Object.assign(app, { metadata, revoked, codes, refreshTokens, revocationLog, transmitter, isRevoked: (jti: string) => revoked.isRevoked(jti) });
}
