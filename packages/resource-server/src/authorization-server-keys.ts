/**
 * The authorization server's signing keys: its JWK Set (RFC 7517 §5), found through `jwks_uri`
 * (RFC 8414 §2), fetched at first need, cached, and refetched when the keys may have changed.
 *
 * - RFC 9068 §4: the resource server "MUST use the keys provided by the authorization server".
 * - Key rotation (RFC 8414 §2, `jwks_uri`: the set may hold several keys; a token names its key
 *   with `kid`, RFC 7515 §4.1.4): a token whose `kid` is not in the cached set triggers ONE
 *   refetch, then fails if the key is still unknown.
 * - Abuse bound: an attacker can send tokens with made-up `kid`s; refetching is allowed at most
 *   once per `JWKS_REFETCH_COOLDOWN_MS`, so this server never hammers its authorization server.
 * - Stale keys: the set is refetched when older than `JWKS_MAX_AGE_MS`, so a key the
 *   authorization server has withdrawn stops being accepted.
 * - Concurrency: at most one metadata or JWKS fetch is in flight; concurrent requests share it.
 *
 * (jose's `createRemoteJWKSet` does much the same; it is not used here so the fetch, the clock and
 * the trace event are this server's own and tests can drive all three.)
 */
import type { Emit } from '@mcp-auth-demo/common';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { discoverAuthorizationServerMetadata, fetchJsonObject, keysUnavailable } from './authorization-server-metadata.ts';

/** The same defaults as jose's `createRemoteJWKSet` (`cooldownDuration`, `cacheMaxAge`). */
export const JWKS_REFETCH_COOLDOWN_MS = 30_000;
export const JWKS_MAX_AGE_MS = 10 * 60_000;

export interface AuthorizationServerKeysOptions {
  issuer: string;
  fetch: typeof fetch;
  now: () => number;
  emit: Emit;
  allowLoopbackHttp: boolean;
}

export interface AuthorizationServerKeys {
  /** For jose's `jwtVerify`: the key a token's protected header names. */
  getKey: JWTVerifyGetKey;
}

interface CachedKeySet {
  keySet: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
}

export function createAuthorizationServerKeys(options: AuthorizationServerKeysOptions): AuthorizationServerKeys {
  const { now, emit } = options;
  let jwksUri: Promise<string> | undefined;
  let cached: CachedKeySet | undefined;
  let loading: Promise<CachedKeySet> | undefined;

  /** RFC 8414 discovery, once; a failure is not remembered, so the next request tries again. */
  function discoverJwksUri(): Promise<string> {
    jwksUri ??= discoverAuthorizationServerMetadata(options).then(
      (metadata) => metadata.jwks_uri,
      (error: unknown) => {
        jwksUri = undefined;
        throw error;
      },
    );
    return jwksUri;
  }

  async function fetchKeySet(): Promise<CachedKeySet> {
    const url = await discoverJwksUri();
    const document = await fetchJsonObject(options.fetch, url, 'JWK Set');
    if (document === undefined) throw keysUnavailable(`the JWK Set at ${url} answered HTTP 404.`);
    let keySet: CachedKeySet['keySet'];
    try {
      keySet = createLocalJWKSet(document as unknown as JSONWebKeySet);
    } catch {
      throw keysUnavailable(`the document at ${url} is not a JWK Set (RFC 7517 §5).`);
    }
    const keys = Array.isArray(document.keys) ? document.keys.length : 0;
    emit('jwks.fetched', { url, keys, spec: 'RFC 8414 §2 jwks_uri; RFC 9068 §4 "MUST use the keys provided by the authorization server"' });
    cached = { keySet, fetchedAt: now() };
    return cached;
  }

  /** One fetch in flight at a time; everyone waiting shares its result. */
  function refetch(): Promise<CachedKeySet> {
    loading ??= fetchKeySet().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  async function currentKeySet(): Promise<CachedKeySet> {
    if (cached && now() - cached.fetchedAt < JWKS_MAX_AGE_MS) return cached;
    return refetch();
  }

  return {
    async getKey(protectedHeader, token) {
      const used = await currentKeySet();
      try {
        return await used.keySet(protectedHeader, token);
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        // Another request refreshed the set meanwhile: look there before fetching again.
        if (cached && cached !== used) return cached.keySet(protectedHeader, token);
        // Rotation: an unknown kid earns one refetch, but not more often than the cooldown allows.
        if (now() - used.fetchedAt < JWKS_REFETCH_COOLDOWN_MS) throw error;
        const fresh = await refetch();
        return fresh.keySet(protectedHeader, token);
      }
    },
  };
}
