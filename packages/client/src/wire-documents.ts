/**
 * The documents the client reads off the wire, each checked into its typed shape here instead
 * of cast: what another party sent is `unknown` until a reader below has looked at it.
 *
 * - readProtectedResourceMetadata: RFC 9728 §2 (`resource`; MCP: at least one
 *   `authorization_servers` entry; `scopes_supported`, its strings only).
 * - readAuthorizationServerMetadata: RFC 8414 §2 (`authorization_endpoint` and `token_endpoint`
 *   present); every optional member the lab uses is kept only when it has its type (a string, a
 *   boolean, an array of strings). The §3.3 issuer match comes before, in common's
 *   findAuthorizationServerMetadata, which the RS shares.
 * - readTokenResponse: OAuth 2.1 §3.2.3 (`access_token`, `token_type` Bearer; `scope`,
 *   `expires_in`, `refresh_token` when of their type).
 * - readClientInformation: RFC 7591 §3.2.1 (`client_id`; `client_secret` when a string).
 *
 * Each refusal is the StepFailure the journey reports: what was expected, what came.
 */
import type { AuthorizationServerMetadata, JsonObject } from '@mcp-auth-demo/common';
import { StepFailure } from './step-failure.ts';

export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  scope?: string;
  expires_in?: number;
  refresh_token?: string;
}

export interface ClientInformation {
  client_id: string;
  client_secret?: string;
  /** Read by registration.ts against what the AS supports. */
  token_endpoint_auth_method?: unknown;
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((s) => typeof s === 'string');

/** The members of `document` named in `names` that have the type `is` checks, and no other. */
function typed<T>(document: JsonObject, names: readonly string[], is: (value: unknown) => value is T): Record<string, T> {
  return Object.fromEntries(names.flatMap((name) => (is(document[name]) ? [[name, document[name]]] : [])));
}

export function readProtectedResourceMetadata(document: JsonObject): ProtectedResourceMetadata {
  const { resource, authorization_servers, scopes_supported } = document;
  if (typeof resource !== 'string') {
    throw new StepFailure('PRM with a string "resource" (RFC 9728 §2)', JSON.stringify(resource));
  }
  // MCP: "The Protected Resource Metadata document MUST include the authorization_servers field".
  if (!Array.isArray(authorization_servers) || authorization_servers.length === 0 || !isStrings(authorization_servers)) {
    throw new StepFailure('PRM with at least one authorization_servers entry', JSON.stringify(authorization_servers));
  }
  const scopes = Array.isArray(scopes_supported) ? scopes_supported.filter((s): s is string => typeof s === 'string') : undefined;
  return { resource, authorization_servers, ...(scopes && { scopes_supported: scopes }) };
}

const STRING_MEMBERS = ['jwks_uri', 'registration_endpoint', 'introspection_endpoint'] as const;
const STRINGS_MEMBERS = [
  'introspection_endpoint_auth_methods_supported', 'scopes_supported', 'response_types_supported', 'response_modes_supported',
  'grant_types_supported', 'token_endpoint_auth_methods_supported',
] as const;
const BOOLEAN_MEMBERS = ['client_id_metadata_document_supported', 'authorization_response_iss_parameter_supported'] as const;

/** `issuer` is the one the document was found for and matched (findAuthorizationServerMetadata). */
export function readAuthorizationServerMetadata(document: JsonObject, issuer: string): AuthorizationServerMetadata {
  const { authorization_endpoint, token_endpoint, code_challenge_methods_supported: methods } = document;
  if (typeof authorization_endpoint !== 'string') {
    throw new StepFailure('a authorization_endpoint in the AS metadata', JSON.stringify(authorization_endpoint));
  }
  if (typeof token_endpoint !== 'string') {
    throw new StepFailure('a token_endpoint in the AS metadata', JSON.stringify(token_endpoint));
  }
  return {
    issuer,
    authorization_endpoint,
    token_endpoint,
    ...typed(document, STRING_MEMBERS, (v): v is string => typeof v === 'string'),
    ...typed(document, STRINGS_MEMBERS, isStrings),
    ...typed(document, BOOLEAN_MEMBERS, (v): v is boolean => typeof v === 'boolean'),
    // Read as the methods listed; whether S256 is among them is discovery's check.
    ...(Array.isArray(methods) && { code_challenge_methods_supported: methods.filter((m): m is string => typeof m === 'string') }),
  };
}

export function readTokenResponse(body: JsonObject): TokenResponse {
  const { access_token, token_type, scope, expires_in, refresh_token } = body;
  if (typeof access_token !== 'string' || typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer') {
    throw new StepFailure('access_token and token_type "Bearer"', `token_type=${String(token_type)}`);
  }
  return {
    access_token,
    token_type,
    ...(typeof scope === 'string' && { scope }),
    ...(typeof expires_in === 'number' && { expires_in }),
    ...(typeof refresh_token === 'string' && { refresh_token }),
  };
}

export function readClientInformation(info: JsonObject): ClientInformation {
  if (typeof info.client_id !== 'string') {
    throw new StepFailure('a client_id in the registration response', JSON.stringify(info.client_id));
  }
  return {
    client_id: info.client_id,
    ...(typeof info.client_secret === 'string' && { client_secret: info.client_secret }),
    token_endpoint_auth_method: info.token_endpoint_auth_method,
  };
}
