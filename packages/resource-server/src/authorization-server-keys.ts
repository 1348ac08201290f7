/**
 * The authorization server's signing keys: its JWK Set (RFC 7517 §5), found through `jwks_uri`
 * (RFC 8414 §2), fetched at first need, cached, and refetched when the keys may have changed.
 *
 * - RFC 9068 §4: the resource server "MUST use the keys provided by the authorization server".
 * - Discovery (authorization-server-metadata.ts) runs once, at first need; a failure is not
 *   remembered, so the next request tries again.
 * - The cache is jose's `createRemoteJWKSet`: one fetch in flight shared by concurrent requests,
 *   refetched when older than `JWKS_MAX_AGE_MS` (so a withdrawn key stops being accepted), and
 *   refetched for a token whose `kid` is not in the set (RFC 7515 §4.1.4; key rotation).
 * - The fetch is this server's own (jose's `customFetch`): the injected `fetch`, the same bounds
 *   and 503 `temporarily_unavailable` answers as discovery, and the `jwks.fetched` trace event.
 *
 * Restarts and abuse. An authorization server that restarts with a new key (the demo's AS
 * generates one at start-up) must not lock its tokens out: jose's default cooldown (30 s
 * without a refetch after each fetch) would refuse every new token for up to 30 s. Here the
 * cooldown is `JWKS_REFETCH_COOLDOWN_MS` (1 s), and a token with an unknown `kid` that arrives
 * during it is not refused: it waits for the cooldown to end and shares ONE refetch with every
 * other such request. So a new key is accepted on its first request, and tokens with made-up
 * `kid`s cost the authorization server at most about one JWKS fetch per second.
 */
import type { Emit } from '@mcp-auth-demo/trace';
import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey } from 'jose';
import { discoverAuthorizationServerMetadata, fetchJsonObject, keysUnavailable, type DiscoveredMetadata } from './authorization-server-metadata.ts';

/** After a JWKS fetch, an unknown `kid` waits this long (at most) before the next refetch. */
export const JWKS_REFETCH_COOLDOWN_MS = 1_000;
/** jose's default `cacheMaxAge`: a set older than this is fetched again before use. */
export const JWKS_MAX_AGE_MS = 10 * 60_000;

export interface AuthorizationServerKeysOptions {
  issuer: string;
  fetch: typeof fetch;
  emit: Emit;
  allowLoopbackHttp: boolean;
  /** The metadata discovery shared with the server's other readers (app.ts); default: its own. */
  metadata?: () => Promise<DiscoveredMetadata>;
}

export interface AuthorizationServerKeys {
  /** For jose's `jwtVerify`: the key a token's protected header names. */
  getKey: JWTVerifyGetKey;
  /** Counts the JWK Sets fetched so far: a change means the keys may have changed. */
  readonly version: number;
  /**
   * Fetches the JWK Set again now, if one was fetched before (nothing to refresh otherwise): the
   * revocation channel's answer to an AS restart (revocation-channel.ts), so the old run's keys
   * stop vouching for its tokens when the new run no longer publishes them.
   */
  reload(): Promise<void>;
}

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAuthorizationServerKeys(options: AuthorizationServerKeysOptions): AuthorizationServerKeys {
  const { emit } = options;
  let remote: Promise<RemoteKeySet> | undefined;
  let version = 0;
  let lastFetchedAt = Number.NEGATIVE_INFINITY;
  let refetchAfterCooldown: Promise<void> | undefined;

  /** jose's fetch: ours, so failures are 503s, the set is checked, and the fetch is traced. */
  async function fetchKeySet(url: string): Promise<Response> {
    const document = await fetchJsonObject(options.fetch, url, 'JWK Set');
    if (document === undefined) throw keysUnavailable(`the JWK Set at ${url} answered HTTP 404.`);
    // RFC 7517 §5: a JWK Set is an object whose "keys" member is an array of JWKs.
    const keys = document.keys;
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))) {
      throw keysUnavailable(`the document at ${url} is not a JWK Set (RFC 7517 §5).`);
    }
    lastFetchedAt = Date.now();
    version += 1;
    emit('jwks.fetched', { url, keys: keys.length, spec: 'RFC 8414 §2 jwks_uri; RFC 9068 §4 "MUST use the keys provided by the authorization server"' });
    return Response.json(document);
  }

  /** RFC 8414 discovery, once; a failure is not remembered, so the next request tries again. */
  function remoteKeySet(): Promise<RemoteKeySet> {
    remote ??= (options.metadata ?? (() => discoverAuthorizationServerMetadata(options)))().then(
      (metadata) =>
        createRemoteJWKSet(new URL(metadata.jwks_uri), {
          cooldownDuration: JWKS_REFETCH_COOLDOWN_MS,
          cacheMaxAge: JWKS_MAX_AGE_MS,
          [customFetch]: (url) => fetchKeySet(String(url)),
        }),
      (error: unknown) => {
        remote = undefined;
        throw error;
      },
    );
    return remote;
  }

  /** One refetch at the end of the current cooldown, shared by everyone who waits for it. */
  function refetchWhenCooledDown(keySet: RemoteKeySet): Promise<void> {
    refetchAfterCooldown ??= sleep(Math.max(0, lastFetchedAt + JWKS_REFETCH_COOLDOWN_MS - Date.now()))
      .then(() => keySet.reload())
      .finally(() => {
        refetchAfterCooldown = undefined;
      });
    return refetchAfterCooldown;
  }

  return {
    async getKey(protectedHeader, token) {
      const keySet = await remoteKeySet();
      const versionBefore = version;
      try {
        return await keySet(protectedHeader, token);
      } catch (error) {
        // jose refetches for an unknown kid by itself, except during the cooldown: then wait it
        // out (at most JWKS_REFETCH_COOLDOWN_MS) instead of refusing a key that may be new.
        // A set fetched since this request began (by jose for it, or for another) already had its chance.
        if (!(error instanceof errors.JWKSNoMatchingKey) || !keySet.coolingDown || version !== versionBefore) throw error;
        await refetchWhenCooledDown(keySet);
        return keySet(protectedHeader, token);
      }
    },
    get version() {
      return version;
    },
    async reload() {
      if (!remote || version === 0) return;
      await (await remote).reload();
    },
  };
}
