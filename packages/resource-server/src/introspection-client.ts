/**
 * Asking the authorization server about a token (RFC 7662), as an authenticated resource server.
 * Two uses, one mechanism:
 * - revocation of our own JWTs: the signature, `iss`, `aud` and `exp` are checked locally
 *   (verify-access-token.ts), but only the AS knows that a token was revoked (a replayed code,
 *   RFC 6749 §4.1.2; a reused refresh token, RFC 9700 §4.14). So, after the local checks, the RS
 *   asks the AS whether the token is still active;
 * - opaque tokens (token-profile.ts), which only the AS can read at all.
 *
 * - §2.1: POST `token=...` form-encoded, authenticated with the RS's client credentials
 *   (HTTP Basic, RFC 6749 §2.3.1: each half form-urlencoded, then base64).
 * - §2.2: the answer is a JSON object whose `active` is a boolean; `active: false` says nothing
 *   more, and anything that is not such an object is not an answer.
 * - §4: "the protected resource MAY cache the response" but then accepts a revoked token until
 *   the cache entry ends. Here ONLY positive answers are cached, for at most `cacheSeconds`
 *   (default 0: no cache, a revoked token is refused on the very next request) and never past the
 *   token's `exp`. That number IS the bound on how long a revoked token still works here.
 *
 * Failure is never "accept": when the AS cannot be asked (down, slow, answering garbage, or
 * refusing our credentials), the request is answered 503 `temporarily_unavailable`. Not 401:
 * `invalid_token` would tell the client its token is bad, and it would throw a good token away
 * and re-authorize against an AS that is not answering; 503 says "not your fault, try again".
 */
import { OAuthError, parseJsonObject, type JsonObject } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import { createHash } from 'node:crypto';
import { AUTHORIZATION_SERVER_FETCH_TIMEOUT_MS, type DiscoveredMetadata } from './authorization-server-metadata.ts';
import type { ResolvedConfig } from './config.ts';

/** A verdict of the AS (RFC 7662 §2.2): `active` plus whatever claims it chose to add. */
export type IntrospectionResponse = { active: boolean } & Record<string, unknown>;

export interface IntrospectionOptions {
  /** The RS's client identifier at the AS. */
  clientId: string;
  clientSecret: string;
  /** The introspection endpoint (from the configuration, or the AS metadata's `introspection_endpoint`). */
  endpoint: () => Promise<string>;
  /** Positive answers are reused for at most this many seconds; 0 = ask every time. */
  cacheSeconds: number;
  fetch: typeof fetch;
  now: () => number;
  emit: Emit;
}

/** Most positive answers kept at once; the oldest goes first (a bound against memory abuse). */
export const INTROSPECTION_CACHE_MAX_ENTRIES = 10_000;

/** The error every failure to get an answer becomes: never a verdict on the token. */
export function introspectionUnavailable(detail: string): OAuthError {
  return new OAuthError('temporarily_unavailable', `The access token cannot be checked with the authorization server right now: ${detail}`, {
    status: 503,
    // RFC 9110 §10.2.3: a 503 may say when to retry; the revocation channel reconnects every 100 ms.
    headers: { 'Retry-After': '1' },
  });
}

/** RFC 6749 §2.3.1: "The client identifier is encoded using the application/x-www-form-urlencoded encoding algorithm". */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

export function basicCredentials(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString('base64')}`;
}

export function createTokenIntrospection(options: IntrospectionOptions) {
  const { now, emit } = options;
  /** sha256(token) -> the positive answer and when it stops being reused. Tokens are never keys. */
  const cache = new Map<string, { response: IntrospectionResponse; untilMs: number }>();

  async function ask(token: string): Promise<IntrospectionResponse> {
    const endpoint = await options.endpoint();
    let response: Response;
    try {
      response = await options.fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: basicCredentials(options.clientId, options.clientSecret),
        },
        // RFC 7662 §2.1: token REQUIRED; token_type_hint OPTIONAL.
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        signal: AbortSignal.timeout(AUTHORIZATION_SERVER_FETCH_TIMEOUT_MS),
      });
    } catch {
      throw introspectionUnavailable(`the introspection endpoint ${endpoint} could not be reached.`);
    }
    // RFC 7662 §2.3: 401 means the AS refused OUR credentials: a configuration error of this server.
    if (response.status === 401) throw introspectionUnavailable(`the authorization server refused this server's introspection credentials.`);
    if (response.status !== 200) throw introspectionUnavailable(`the introspection endpoint answered HTTP ${response.status}.`);
    let body: JsonObject;
    try {
      body = parseJsonObject(await response.text());
    } catch {
      throw introspectionUnavailable('the introspection answer is not a JSON object.');
    }
    // RFC 7662 §2.2: "active REQUIRED. Boolean indicator of whether or not the presented token is currently active."
    if (typeof body.active !== 'boolean') {
      throw introspectionUnavailable('the introspection answer has no boolean "active" (RFC 7662 §2.2).');
    }
    return body as unknown as IntrospectionResponse;
  }

  function remember(key: string, response: IntrospectionResponse): void {
    if (!response.active || options.cacheSeconds === 0) return;
    let untilMs = now() + options.cacheSeconds * 1000;
    // RFC 7662 §4: a cached answer must not outlive the token itself.
    if (typeof response.exp === 'number') untilMs = Math.min(untilMs, response.exp * 1000);
    if (cache.size >= INTROSPECTION_CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, { response, untilMs });
  }

  return {
    /** The AS's verdict on `token`; throws 503 when no verdict can be had. */
    async introspect(token: string): Promise<IntrospectionResponse> {
      const key = createHash('sha256').update(token).digest('base64url');
      const cached = cache.get(key);
      if (cached && now() < cached.untilMs) {
        emit('token.introspected', { active: true, cached: true, spec: `RFC 7662 §4 (positive answers reused for at most ${options.cacheSeconds}s)` });
        return cached.response;
      }
      cache.delete(key);
      // The AS traces its own answer (who asked, and why a token is inactive); the RS adds nothing.
      const response = await ask(token);
      remember(key, response);
      return response;
    },
  };
}

export type TokenIntrospection = ReturnType<typeof createTokenIntrospection>;

/**
 * The introspection endpoint: the configured one, else `introspection_endpoint` from the AS
 * metadata (RFC 8414 §2), read from the server's one discovery (`discoverOnce`).
 */
export function introspectionEndpoint(config: ResolvedConfig, metadata: () => Promise<DiscoveredMetadata>): () => Promise<string> {
  const configured = config.introspection?.endpoint;
  if (configured) return () => Promise.resolve(configured);
  return () =>
    metadata().then((found) => {
      if (found.introspection_endpoint) return found.introspection_endpoint;
      throw introspectionUnavailable(`the metadata of ${config.authorizationServer} names no introspection_endpoint (RFC 8414 §2).`);
    });
}

/** The introspection client of this server, when it has introspection credentials. */
export function createConfiguredIntrospection(config: ResolvedConfig, emit: Emit, metadata: () => Promise<DiscoveredMetadata>): TokenIntrospection | undefined {
  if (!config.introspection) return undefined;
  return createTokenIntrospection({
    clientId: config.introspection.clientId,
    clientSecret: config.introspection.clientSecret,
    cacheSeconds: config.introspection.cacheSeconds,
    endpoint: introspectionEndpoint(config, metadata),
    fetch: config.fetch,
    now: config.now,
    emit,
  });
}
