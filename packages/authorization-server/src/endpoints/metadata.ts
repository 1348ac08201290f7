/**
 * Authorization Server Metadata (RFC 8414). Only RFC 8414: this server does not pretend to be
 * an OpenID Provider, so it serves no `/.well-known/openid-configuration` (MCP clients try RFC
 * 8414 first and fall back to OIDC discovery only when this one is missing).
 *
 * The app's routes are derived from this document (see app.ts), so the URLs it advertises and
 * the paths that answer cannot drift apart.
 */
import { authorizationServerMetadataUrl, type AuthorizationServerMetadata } from '@mcp-auth-demo/common';
import { SUPPORTED_CODE_CHALLENGE_METHODS } from './pkce.ts';

/** The paths of the endpoints below the issuer. Change them here and routes follow. */
export const ENDPOINT_PATHS = {
  authorization: '/authorize',
  token: '/token',
  jwks: '/jwks',
  registration: '/register',
  introspection: '/introspect',
  revocationEvents: '/revocation-events',
} as const;

/**
 * The document this server serves: the one RFC 8414 type (common), with every member it always
 * sends required (`registration_endpoint` and the introspection members depend on the configuration).
 */
export type ServedMetadata = AuthorizationServerMetadata &
  Required<Omit<AuthorizationServerMetadata, 'registration_endpoint' | 'introspection_endpoint' | 'introspection_endpoint_auth_methods_supported' | 'revocation_events_endpoint'>>;

/** An endpoint URL below the issuer (which may itself have a path, RFC 8414 §2). */
function endpoint(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}${path}`;
}

/** RFC 8414 §2: the metadata document of an authorization server with this configuration. */
export function authorizationServerMetadata(config: {
  issuer: string;
  scopesSupported: string[];
  /** Advertise `registration_endpoint` (RFC 7591 Dynamic Client Registration). */
  dynamicClientRegistration: boolean;
  /** Resource servers allowed to introspect; none means no introspection endpoint. */
  introspectionClients?: readonly unknown[];
}): ServedMetadata {
  return {
    issuer: config.issuer,
    authorization_endpoint: endpoint(config.issuer, ENDPOINT_PATHS.authorization),
    token_endpoint: endpoint(config.issuer, ENDPOINT_PATHS.token),
    jwks_uri: endpoint(config.issuer, ENDPOINT_PATHS.jwks),
    // RFC 8414 §2: OPTIONAL; present only when POST /register answers (app.ts derives the route from it).
    ...(config.dynamicClientRegistration ? { registration_endpoint: endpoint(config.issuer, ENDPOINT_PATHS.registration) } : {}),
    // RFC 8414 §2: OPTIONAL; present only when some resource server has introspection credentials.
    ...(config.introspectionClients?.length
      ? {
          introspection_endpoint: endpoint(config.issuer, ENDPOINT_PATHS.introspection),
          // RFC 6749 §2.3.1 HTTP Basic, the one method RFC 6749 requires every AS to support.
          introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
          // The lab's extension (RFC 8414 §2): revocation SETs for the same resource servers (revocation-events.ts).
          revocation_events_endpoint: endpoint(config.issuer, ENDPOINT_PATHS.revocationEvents),
        }
      : {}),
    scopes_supported: [...config.scopesSupported],
    response_types_supported: ['code'],
    // RFC 8414 §2 defaults this to ["query", "fragment"]; only query is implemented.
    response_modes_supported: ['query'],
    // RFC 8414 §2; the refresh_token grant for clients whose metadata lists it (refresh-tokens.ts).
    grant_types_supported: ['authorization_code', 'refresh_token'],
    // Public clients only: CIMD documents cannot carry shared secrets (CIMD §4.1), and
    // registration (RFC 7591) accepts public clients only.
    token_endpoint_auth_methods_supported: ['none'],
    // MCP: clients "MUST refuse to proceed" when this is absent; S256 only (OAuth 2.1 §4.1.1).
    code_challenge_methods_supported: [...SUPPORTED_CODE_CHALLENGE_METHODS],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    // RFC 8707 resource indicators are required on both requests (MCP); RFC 8414 registers no
    // metadata field for them, so none is invented here.
  };
}

/**
 * RFC 8414 §3: the well-known URI is formed by inserting "/.well-known/oauth-authorization-server"
 * between the host and the issuer's path (if any): `/t1` => `/.well-known/oauth-authorization-server/t1`.
 */
export function metadataPath(issuer: string): string {
  return new URL(authorizationServerMetadataUrl(issuer)).pathname;
}

/** The route path that serves an endpoint URL of the metadata document. */
export function routePath(endpointUrl: string): string {
  return new URL(endpointUrl).pathname;
}
