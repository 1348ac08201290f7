/**
 * Authorization Server Metadata (RFC 8414 §2), the one type for the document: the AS serves it,
 * the client discovers and reads it, the RS reads `jwks_uri` from it. The members the lab uses,
 * with the RFC's optionality: a reader checks what it relies on; the AS's own document narrows
 * it with `Required<...>` for what it always sends.
 */
export interface AuthorizationServerMetadata {
  /** RFC 8414 §2 REQUIRED; §3.3: identical to the issuer the document was fetched for. */
  issuer: string;
  /** REQUIRED unless no grant type uses the authorization endpoint. */
  authorization_endpoint: string;
  /** REQUIRED unless only the implicit grant is supported. */
  token_endpoint: string;
  /** The AS's JWK Set (RFC 7517), where the keys that sign its access tokens are published. */
  jwks_uri?: string;
  /** The RFC 7591 client registration endpoint; absent when registration is off. */
  registration_endpoint?: string;
  /** RFC 8414 §2: the RFC 7662 introspection endpoint (resource servers ask it whether a token is active). */
  introspection_endpoint?: string;
  /** RFC 8414 §2: how a resource server authenticates to the introspection endpoint. */
  introspection_endpoint_auth_methods_supported?: string[];
  /**
   * The lab's extension member (RFC 8414 §2 allows them): where a resource server subscribes to
   * revocation Security Event Tokens and catches up (docs/revocation.md).
   */
  revocation_events_endpoint?: string;
  scopes_supported?: string[];
  /** REQUIRED by RFC 8414, but nothing the client does depends on it. */
  response_types_supported?: string[];
  response_modes_supported?: string[];
  grant_types_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  /** MCP 2025-11-25: a client MUST refuse to go on unless this lists `S256`. */
  code_challenge_methods_supported?: string[];
  /** CIMD §5: the AS fetches client metadata from a `client_id` URL. */
  client_id_metadata_document_supported?: boolean;
  /** RFC 9207 §3: every authorization response carries `iss`. */
  authorization_response_iss_parameter_supported?: boolean;
}
