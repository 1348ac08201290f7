/**
 * Authorization Server Metadata (RFC 8414 §2), the one type for the document: the AS serves it,
 * the client discovers and reads it, the RS reads `jwks_uri` from it. The members the lab uses,
 * with the RFC's optionality: a reader checks what it relies on; the AS's own document narrows
 * it with `Required<...>` for what it always sends.
 *
 * findAuthorizationServerMetadata is the one home of discovery's rule, for the client and the RS:
 * the well-known URLs in MCP's order (well-known.ts), the first document found, and RFC 8414
 * §3.3's issuer match. What a failure means is each party's own: the client's journey stops
 * with a StepFailure, the RS answers 503 (it is not the client's fault).
 */
import { authorizationServerMetadataUrls } from './well-known.ts';
import type { JsonObject } from './json-object.ts';

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

/** Where the search ended: the document, a document for another issuer, or none at all. */
export type MetadataSearch =
  | { outcome: 'found'; url: string; document: JsonObject }
  | { outcome: 'wrong_issuer'; url: string; issuer: unknown }
  | { outcome: 'none'; tried: string[] };

/**
 * Tries each metadata URL of `issuer` in MCP's order. `fetchAt` answers a document, or
 * `undefined` for "not here, try the next one"; any other failure it throws, in its party's terms.
 */
export async function findAuthorizationServerMetadata(
  issuer: string,
  fetchAt: (url: string) => Promise<JsonObject | undefined>,
): Promise<MetadataSearch> {
  const tried = authorizationServerMetadataUrls(issuer);
  for (const url of tried) {
    const document = await fetchAt(url);
    if (document === undefined) continue;
    // RFC 8414 §3.3: "The "issuer" value returned MUST be identical to the authorization server's
    // issuer identifier value into which the well-known URI string was inserted" (MCP 2026-07-28:
    // compared exactly, no normalisation); otherwise "the data contained in the response MUST NOT be used".
    if (document.issuer !== issuer) return { outcome: 'wrong_issuer', url, issuer: document.issuer };
    return { outcome: 'found', url, document };
  }
  return { outcome: 'none', tried };
}
