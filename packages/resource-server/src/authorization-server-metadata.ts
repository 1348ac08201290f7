/**
 * Discovering the authorization server's metadata, for one value: `jwks_uri`, where the keys that
 * sign its access tokens are published. This is how the resource server works with ANY
 * authorization server that publishes metadata, with nothing configured but the issuer.
 *
 * - RFC 8414 §3.1: the metadata URL inserts `/.well-known/oauth-authorization-server` between the
 *   host and the path of the issuer ("any terminating "/" MUST be removed" from the path first).
 * - RFC 8414 §5 and OpenID Connect Discovery 1.0 §4: the `openid-configuration` locations, which
 *   MCP authorization (2025-11-25) lets an authorization server use instead ("at least one of").
 *   They are tried in the order MCP clients use: RFC 8414, then OIDC with path insertion, then
 *   OIDC with the path appended.
 * - RFC 8414 §3.3: the `issuer` in the document MUST be identical to the configured issuer, or
 *   "the data contained in the response MUST NOT be used". The order and the match are common's
 *   findAuthorizationServerMetadata, shared with the client; a 404 means "try the next URL".
 * - RFC 8414 §2: `jwks_uri` is the URL of the authorization server's JWK Set (RFC 7517).
 *
 * A failure here is not the client's fault: the request is answered 503 `temporarily_unavailable`
 * (the next request tries again; nothing is cached after a failure).
 */
import { findAuthorizationServerMetadata, JsonObjectError, OAuthError, parseJsonObject, type AuthorizationServerMetadata, type JsonObject } from '@mcp-auth-demo/common';
import { checkSecureUrl } from './config.ts';

/** What the RS takes from the RFC 8414 document (the one type, in common), and where it was found. */
export type DiscoveredMetadata = Required<Pick<AuthorizationServerMetadata, 'issuer' | 'jwks_uri'>> &
  Pick<AuthorizationServerMetadata, 'introspection_endpoint' | 'revocation_events_endpoint'> & { url: string };

/** Bound on every request to the authorization server, so a slow one cannot hold requests forever. */
export const AUTHORIZATION_SERVER_FETCH_TIMEOUT_MS = 5_000;

/** The error every discovery or key-fetch failure becomes. */
export function keysUnavailable(detail: string): OAuthError {
  return new OAuthError('temporarily_unavailable', `Access tokens cannot be verified right now: ${detail}`, { status: 503 });
}

/** GET a JSON object from the authorization server (metadata or JWKS); `undefined` on 404. */
export async function fetchJsonObject(
  fetchImpl: typeof fetch,
  url: string,
  what: string,
): Promise<JsonObject | undefined> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(AUTHORIZATION_SERVER_FETCH_TIMEOUT_MS),
    });
  } catch {
    throw keysUnavailable(`the ${what} at ${url} could not be fetched.`);
  }
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw keysUnavailable(`the ${what} at ${url} answered HTTP ${response.status}.`);
  try {
    return parseJsonObject(await response.text());
  } catch (error) {
    if (!(error instanceof JsonObjectError)) throw keysUnavailable(`the ${what} at ${url} could not be read.`);
    throw keysUnavailable(`the ${what} at ${url} is ${error.found === 'not JSON' ? 'not JSON' : 'not a JSON object'}.`);
  }
}

/** An optional endpoint member: absent or not a URL is `undefined`; plain http off loopback is refused. */
function optionalSecureEndpoint(document: JsonObject, member: string, allowLoopbackHttp: boolean): string | undefined {
  const value = document[member];
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  try {
    checkSecureUrl(member, new URL(value), allowLoopbackHttp);
  } catch {
    throw keysUnavailable(`the ${member} ${value} must use https (http only for loopback hosts in the demo).`);
  }
  return value;
}

export interface DiscoveryOptions {
  issuer: string;
  fetch: typeof fetch;
  allowLoopbackHttp: boolean;
}

/** Finds and checks the issuer's metadata; throws 503 `temporarily_unavailable` on failure. */
export async function discoverAuthorizationServerMetadata(options: DiscoveryOptions): Promise<DiscoveredMetadata> {
  const { issuer } = options;
  const search = await findAuthorizationServerMetadata(issuer, (url) => fetchJsonObject(options.fetch, url, 'authorization server metadata'));
  if (search.outcome === 'none') {
    throw keysUnavailable(`no authorization server metadata was found for ${issuer} (tried ${search.tried.join(', ')}).`);
  }
  // RFC 8414 §3.3: a document for another issuer "MUST NOT be used" (the match is common's).
  if (search.outcome === 'wrong_issuer') {
    throw keysUnavailable(`the metadata at ${search.url} names the issuer ${JSON.stringify(search.issuer)}, not ${issuer} (RFC 8414 §3.3).`);
  }
  const { url, document } = search;
  const jwksUri = document.jwks_uri;
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
    throw keysUnavailable(`the metadata at ${url} has no valid jwks_uri (RFC 8414 §2).`);
  }
  try {
    checkSecureUrl('jwks_uri', new URL(jwksUri), options.allowLoopbackHttp);
  } catch {
    throw keysUnavailable(`the jwks_uri ${jwksUri} must use https (http only for loopback hosts in the demo).`);
  }
  // RFC 7662 §4: tokens and this server's credentials go there, so the same https rule applies
  // (and to the revocation events endpoint, which takes the same credentials).
  const introspectionEndpoint = optionalSecureEndpoint(document, 'introspection_endpoint', options.allowLoopbackHttp);
  const revocationEventsEndpoint = optionalSecureEndpoint(document, 'revocation_events_endpoint', options.allowLoopbackHttp);
  return {
    issuer,
    jwks_uri: jwksUri,
    url,
    ...(introspectionEndpoint ? { introspection_endpoint: introspectionEndpoint } : {}),
    ...(revocationEventsEndpoint ? { revocation_events_endpoint: revocationEventsEndpoint } : {}),
  };
}

/**
 * The issuer's metadata, discovered once, at first need, for everyone who reads it (the keys'
 * `jwks_uri`, `introspection_endpoint`, `revocation_events_endpoint`): one fetch, not one per
 * reader. A failure is not remembered, so the next need tries again.
 */
export function discoverOnce(options: DiscoveryOptions): () => Promise<DiscoveredMetadata> {
  let found: Promise<DiscoveredMetadata> | undefined;
  return () => {
    found ??= discoverAuthorizationServerMetadata(options);
    return found.catch((error: unknown) => {
      found = undefined;
      throw error;
    });
  };
}
