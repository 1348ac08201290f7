/**
 * The client's own Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document
 * §2 and §4.1), and the small app that hosts it.
 *
 * The URL the document is served at IS the client's `client_id`: an authorization server that
 * supports CIMD fetches it, checks that its `client_id` member equals that URL, and trusts the
 * `redirect_uris` it lists. No registration step, no shared secret.
 */
import { CLIENT_PATHS, oauthErrorResponse, OAuthError } from '@mcp-auth-demo/common';
import { createEmitter, type TraceSink } from '@mcp-auth-demo/trace';
import { Hono } from 'hono';

export interface ClientMetadataDocument {
  client_id: string;
  client_name: string;
  client_uri?: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  /** A public client: no secret, so `none` (the draft forbids shared-secret methods). */
  token_endpoint_auth_method: 'none';
}

export interface ClientHostConfig {
  /** The client's base URL, e.g. http://localhost:3000; the document and callback live under it. */
  baseUrl: string;
  /** How long authorization servers may cache the document (Cache-Control max-age, seconds). */
  cacheMaxAgeSeconds?: number;
  onEvent?: TraceSink;
}

export interface ClientUrls {
  /** The metadata document's URL: the client_id. */
  clientId: string;
  redirectUri: string;
}

export function clientUrls(baseUrl: string): ClientUrls {
  const base = new URL(baseUrl);
  if (base.pathname !== '/' || base.search || base.hash) {
    throw new Error(`client base URL must be an origin without path, query or fragment: ${baseUrl}`);
  }
  return {
    clientId: new URL(CLIENT_PATHS.metadataDocument, base).href,
    redirectUri: new URL(CLIENT_PATHS.callback, base).href,
  };
}

/**
 * The redirect URIs the document lists: the client host's callback and, when that is on
 * `localhost`, the same callback on the loopback IP literals. `pnpm client --browser` listens on
 * `http://127.0.0.1:<any port>/callback` (RFC 8252 §7.3 and §8.3: IP literals, not "localhost");
 * the AS matches it to one of these by the port-only exception of RFC 8252 §7.3. Those two stay
 * http when the host itself is https (`--https`): "Loopback redirect URIs use the "http" scheme"
 * (RFC 8252 §7.3), and the port exception applies to them only.
 */
export function documentRedirectUris(redirectUri: string): string[] {
  const url = new URL(redirectUri);
  if (url.hostname !== 'localhost') return [redirectUri];
  const on = (host: string) => Object.assign(new URL(redirectUri), { protocol: 'http:', hostname: host }).href;
  return [redirectUri, on('127.0.0.1'), on('[::1]')];
}

export function clientMetadataDocument(baseUrl: string): ClientMetadataDocument {
  const { clientId, redirectUri } = clientUrls(baseUrl);
  return {
    client_id: clientId,
    client_name: 'MCP Auth Demo Client',
    client_uri: new URL(baseUrl).origin,
    redirect_uris: documentRedirectUris(redirectUri),
    // SEP-2207 (MCP 2026-07-28): listing refresh_token is how a client asks for refresh tokens.
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}

/** Hosts the document (and a `/callback` page for a person whose browser lands there). */
export function createClientHost(config: ClientHostConfig): Hono {
  const document = clientMetadataDocument(config.baseUrl);
  const emit = createEmitter('client-host', config.onEvent);
  const maxAge = config.cacheMaxAgeSeconds ?? 300;
  const app = new Hono();

  app.get(CLIENT_PATHS.metadataDocument, (c) => {
    emit('cimd.served', { url: document.client_id, spec: 'CIMD draft §4.1' });
    c.header('Cache-Control', `public, max-age=${maxAge}`);
    return c.json(document);
  });

  // The headless journey reads the AS's redirect itself; a browser that lands here is told so.
  app.get(CLIENT_PATHS.callback, (c) => {
    const error = c.req.query('error');
    return c.text(
      error
        ? `Authorization failed: ${error}. You can close this window.`
        : 'Authorization code received. The demo client reads it from the redirect itself; you can close this window.',
      error ? 400 : 200,
    );
  });

  app.notFound(() => oauthErrorResponse(new OAuthError('invalid_request', 'Not found.', { status: 404 })));
  app.onError((error) => oauthErrorResponse(error));
  return app;
}
