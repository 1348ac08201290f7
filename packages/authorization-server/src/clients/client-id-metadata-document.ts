/**
 * Client ID Metadata Documents, the authorization server side
 * (draft-ietf-oauth-client-id-metadata-document-01; the MCP spec cites -00).
 *
 * The `client_id` is an https URL; the AS fetches the JSON document at that URL and learns the
 * client's name and redirect URIs from it, with no prior registration. In order:
 *   §3    the URL's shape is checked, before anything touches the network;
 *   §6.5  its host must not resolve to a special-use address (fetch-guard.ts);
 *   §4    it is fetched without following redirects, bounded in time and size (§6.6);
 *   §4.1  the body must be a JSON object whose `client_id` is the URL, with no shared secret;
 *   §4.4  a valid document is cached per `Cache-Control`, within bounds; nothing else ever is.
 */
import { isLoopbackHost, JsonObjectError, OAuthError, parseJsonObject } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import { cacheLifetimeSeconds, DocumentCache } from './cimd-cache.ts';
import type { ResolvedConfig } from '../config.ts';
import { checkHostAddresses, classifyAddress, fetchBounded, FetchRefused } from './fetch-guard.ts';
import { redirectUriProblem } from './redirect-uri.ts';

/** The slice of the configuration this module reads. */
export type CimdResolverConfig = Pick<ResolvedConfig, 'cimd' | 'dangerouslyAllowLoopbackHttp' | 'fetch' | 'issuer' | 'issuerIsLoopback' | 'now' | 'resolveHost'>;

/** What the AS keeps from a validated document. */
export interface ClientMetadata {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  /** RFC 7591 §2 (CIMD §4.1 uses its members): absent means ["authorization_code"]. */
  grant_types: string[];
}

/** One rule a URL or document broke. `message` is safe to show to the user. */
class CimdViolation extends Error {}

/** CIMD §6.2 / §4.1: methods built on a shared symmetric secret, which a public document cannot hold. */
const SHARED_SECRET_METHODS = ['client_secret_post', 'client_secret_basic', 'client_secret_jwt'];

/** True when `client_id` names a metadata document (an http(s) URL) rather than a registered id. */
export function isClientIdMetadataDocumentUrl(clientId: string): boolean {
  return /^https?:\/\//i.test(clientId);
}

/**
 * CIMD §3: "Client identifier URLs MUST have an "https" scheme, MUST contain a path component,
 * MUST NOT contain single-dot or double-dot path segments, MUST NOT contain a fragment component
 * and MUST NOT contain a username or password". Checked on the raw string, because the URL
 * parser silently removes dot segments and empty fragments.
 */
export function checkClientIdUrl(clientId: string, config: Pick<ResolvedConfig, 'dangerouslyAllowLoopbackHttp'>): URL {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw new CimdViolation('client_id is not a URL');
  }
  // CIMD §3: "MUST have an "https" scheme" (DEVIATION: http for a loopback host, local demo only).
  const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname) && config.dangerouslyAllowLoopbackHttp;
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new CimdViolation('client_id URL must use https (CIMD §3)');
  }
  const raw = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)/i.exec(clientId);
  const authority = raw?.[1] ?? '';
  const path = raw?.[2] ?? '';
  // CIMD §3: "MUST NOT contain a fragment component".
  if (clientId.includes('#')) throw new CimdViolation('client_id URL must not contain a fragment (CIMD §3)');
  // CIMD §3: "MUST NOT contain a username or password".
  if (authority.includes('@') || url.username !== '' || url.password !== '') {
    throw new CimdViolation('client_id URL must not contain a username or password (CIMD §3)');
  }
  // CIMD §3: "MUST contain a path component" (a bare origin or "/" names no document).
  if (path === '' || path === '/') throw new CimdViolation('client_id URL must contain a path (CIMD §3)');
  // CIMD §3: "MUST NOT contain single-dot or double-dot path segments" (also percent-encoded: %2e).
  const segments = path.split(/[/\\]/).map((s) => s.replace(/%2e/gi, '.'));
  if (segments.some((s) => s === '.' || s === '..') || path.includes('\\')) {
    throw new CimdViolation('client_id URL must not contain "." or ".." path segments (CIMD §3)');
  }
  return url;
}

/** The port a URL connects to (its explicit port, else the scheme's default). */
function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * Not a spec rule, a refusal of this AS: a client_id URL on the AS's own origin makes it fetch
 * itself (for example its own /authorize with a client_id naming itself again: hundreds of
 * requests from one). Loopback names (localhost, 127.0.0.1, [::1]) are aliases of each other.
 */
function checkNotOwnOrigin(url: URL, issuer: string): void {
  const own = new URL(issuer);
  const sameHost = url.hostname === own.hostname || (isLoopbackHost(url.hostname) && isLoopbackHost(own.hostname));
  if (sameHost && effectivePort(url) === effectivePort(own)) {
    throw new CimdViolation(`client_id URL is on this authorization server's own origin (${own.origin}); it would fetch itself`);
  }
}

/** The same refusal after DNS: a name that resolves to loopback, on the port of a loopback AS. */
function checkNotOwnAddress(url: URL, address: string, issuer: string): void {
  const own = new URL(issuer);
  if (classifyAddress(address).kind === 'loopback' && isLoopbackHost(own.hostname) && effectivePort(url) === effectivePort(own)) {
    throw new CimdViolation(`client_id URL resolves to this authorization server itself (${address}, port ${effectivePort(own)}); it would fetch itself`);
  }
}

/** CIMD §4.1: "a JSON ([RFC8259]) document"; an object, since its members are the metadata. */
export function parseDocumentBody(body: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new CimdViolation('the document is not valid JSON (CIMD §4.1)');
  }
  try {
    return parseJsonObject(text);
  } catch (error) {
    if (!(error instanceof JsonObjectError)) throw error;
    throw new CimdViolation(`the document is not ${error.found === 'not JSON' ? 'valid JSON' : 'a JSON object'} (CIMD §4.1)`);
  }
}

/** CIMD §4.1 and the MCP spec's required members; returns what the AS keeps. */
export function validateClientMetadataDocument(clientId: string, doc: Record<string, unknown>): ClientMetadata {
  // CIMD §4.1: client_id "MUST match the URL of the document using simple string comparison".
  if (doc.client_id !== clientId) {
    throw new CimdViolation(`the document's client_id ${JSON.stringify(doc.client_id)} is not its URL (CIMD §4.1)`);
  }
  // MCP: "The metadata document MUST include at least ... client_id, client_name, redirect_uris".
  if (typeof doc.client_name !== 'string' || doc.client_name.trim() === '') {
    throw new CimdViolation('the document has no client_name (MCP, Client ID Metadata Documents)');
  }
  const uris = doc.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u): u is string => typeof u === 'string')) {
    throw new CimdViolation('the document has no redirect_uris (a non-empty array of strings; CIMD §4.5)');
  }
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new CimdViolation(`the document's ${problem}`);
  }
  // CIMD §4.1: "the client_secret and client_secret_expires_at properties MUST NOT be used".
  if ('client_secret' in doc || 'client_secret_expires_at' in doc) {
    throw new CimdViolation('the document contains a client_secret, which a public document must not (CIMD §4.1)');
  }
  const method = doc.token_endpoint_auth_method;
  // CIMD §4.1: token_endpoint_auth_method "MUST NOT include client_secret_post, client_secret_basic, client_secret_jwt".
  if (typeof method === 'string' && SHARED_SECRET_METHODS.includes(method)) {
    throw new CimdViolation(`token_endpoint_auth_method "${method}" needs a shared secret (CIMD §4.1)`);
  }
  // Absent means a public client here: RFC 7591's default (client_secret_basic) cannot apply, as
  // CIMD rules shared secrets out. Key-based methods (private_key_jwt, CIMD §6.2) are not
  // implemented by this AS, which advertises token_endpoint_auth_methods_supported ["none"].
  if (method !== undefined && method !== 'none') {
    throw new CimdViolation(`token_endpoint_auth_method ${JSON.stringify(method)} is not supported here; use "none"`);
  }
  // RFC 7591 §2: grant_types, if omitted, "the client will use only the "authorization_code" Grant Type".
  const grants = doc.grant_types ?? ['authorization_code'];
  if (!Array.isArray(grants) || !grants.every((g): g is string => typeof g === 'string')) {
    throw new CimdViolation('the document\'s grant_types is not an array of strings (RFC 7591 §2)');
  }
  return { client_id: clientId, client_name: doc.client_name, redirect_uris: [...uris], grant_types: [...new Set(grants)].slice(0, 10) };
}

/**
 * Builds the resolver the authorization endpoint uses: client_id URL in, validated metadata out,
 * or an `invalid_client` error (status 400, shown to the user: RFC 6749 §4.1.2.1) otherwise.
 */
export function createClientIdMetadataDocumentResolver(config: CimdResolverConfig, emit: Emit) {
  const cache = new DocumentCache<ClientMetadata>(config.now, config.cimd.maxCacheEntries);
  const bounds = {
    defaultSeconds: config.cimd.defaultCacheSeconds,
    maxSeconds: config.cimd.maxCacheSeconds,
    maxEntries: config.cimd.maxCacheEntries,
  };

  async function fetchAndValidate(clientId: string): Promise<ClientMetadata> {
    // CIMD §3 first: a URL that breaks the rules causes no DNS lookup and no fetch at all.
    const url = checkClientIdUrl(clientId, config);
    const hit = cache.get(clientId);
    if (hit) {
      emit('cimd.cache_hit', { client_id: clientId, age_s: hit.ageSeconds, spec: 'CIMD §4.4' });
      return hit.value;
    }
    checkNotOwnOrigin(url, config.issuer);
    // CIMD §6.5: loopback passes only when the AS itself is on loopback.
    const vetted = await checkHostAddresses(url, config.resolveHost, config.issuerIsLoopback);
    // The name may be new, the address not: a name that resolves to loopback on the AS's port is the AS.
    checkNotOwnAddress(url, vetted.address, config.issuer);
    const started = performance.now();
    const response = await fetchBounded(clientId, { fetch: config.fetch, vetted, timeoutMs: config.cimd.timeoutMs, maxBytes: config.cimd.maxBytes });
    const ms = Math.round(performance.now() - started);
    emit('cimd.fetched', { client_id: clientId, status: response.status, bytes: response.body.byteLength, ms, spec: 'CIMD §4' });
    // CIMD §4: "The authorization server MUST treat all other HTTP status codes [than 200] as an error response."
    if (response.status !== 200) {
      const redirect = response.status >= 300 && response.status < 400 ? '; redirects are not followed' : '';
      throw new CimdViolation(`the client_id URL answered HTTP ${response.status}, not 200 (CIMD §4${redirect})`);
    }
    const metadata = validateClientMetadataDocument(clientId, parseDocumentBody(response.body));
    // CIMD §4.4: only now, with the document valid, may it be cached.
    const lifetime = cacheLifetimeSeconds(response.headers.get('cache-control'), bounds);
    cache.set(clientId, metadata, lifetime);
    emit('cimd.validated', {
      client_id: clientId,
      client_name: metadata.client_name,
      redirect_uris: metadata.redirect_uris,
      grant_types: metadata.grant_types,
      cache_for_s: lifetime,
      spec: 'CIMD §4.1',
    });
    return metadata;
  }

  return async function resolveClientIdMetadataDocument(clientId: string): Promise<ClientMetadata> {
    try {
      return await fetchAndValidate(clientId);
    } catch (error) {
      if (!(error instanceof CimdViolation || error instanceof FetchRefused)) throw error;
      const detail = error instanceof FetchRefused && error.detail ? ` (${error.detail})` : '';
      emit('cimd.rejected', { client_id: clientId, reason: `${error.message}${detail}`, spec: 'CIMD §4.3' });
      // CIMD §4.3: "If fetching the metadata document fails, the authorization server SHOULD abort the authorization request."
      throw new OAuthError('invalid_client', `Client ID Metadata Document rejected: ${error.message}.`, { status: 400 });
    }
  };
}
