/**
 * The client registration endpoint of OAuth 2.0 Dynamic Client Registration (RFC 7591), for
 * PUBLIC clients only. MCP 2025-11-25 keeps registration as an option beside Client ID Metadata
 * Documents, for clients that predate them; config `dynamicClientRegistration: false` turns it off.
 * A registration request is read as an ordered list of checks:
 *
 *   readMetadata -> checkRedirectUris -> checkTokenEndpointAuthMethod -> checkGrantTypes
 *   -> checkResponseTypes -> checkClientName -> checkScope -> register -> 201 Created
 *
 * Nothing is stored unless every check passes.
 *
 * Errors (RFC 7591 §3.2.2): status 400 (413 for an oversized body, see app.ts), `error` is
 * `invalid_redirect_uri` for anything wrong with `redirect_uris`, else `invalid_client_metadata`,
 * a body that is not a JSON object included. These are the codes §3.2.2 defines for this
 * endpoint; RFC 6749's `invalid_request` is not registered for it, so a client written against
 * RFC 7591 alone understands every refusal.
 *
 * What is registered may differ from what was asked (RFC 7591 §3.2.1: the AS "MAY reject or
 * replace any of the client's requested metadata values submitted during the registration and
 * substitute them with suitable values"); the response always says what was registered:
 * - an absent `token_endpoint_auth_method` becomes "none": RFC 7591 §2's default,
 *   client_secret_basic, needs a secret, and this AS issues none;
 * - `refresh_token` in `grant_types` is registered when asked for: the client then gets refresh
 *   tokens, rotated on every use (refresh-tokens.ts);
 * - `scope` is checked against scopes_supported and returned, but does not limit later
 *   authorization requests: MCP step-up asks for scopes a client did not know when it registered.
 */
import { JsonObjectError, mediaType, OAuthError, parseJsonObject } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { Context } from 'hono';
import type { ResolvedConfig } from '../config.ts';
import { scopeTokens } from '../request-rules.ts';
import type { ClientRegistration, RegisteredClient, RegisteredClients } from './registered-clients.ts';
import { redirectUriProblem } from './redirect-uri.ts';

/** The slice of the configuration this module reads. */
export type RegistrationConfig = Pick<ResolvedConfig, 'maxRegisteredClients' | 'scopesSupported'>;

/** How long a refused registrant is asked to wait (the never-used grace period frees slots soonest). */
const RETRY_AFTER_SECONDS = 60;

export interface RegistrationDependencies {
  config: RegistrationConfig;
  clients: RegisteredClients;
  emit: Emit;
}

/** The metadata members of the request; JSON `null` reads as absent (many libraries send unset fields so). */
type Metadata = Record<string, unknown>;

function member(metadata: Metadata, name: string): unknown {
  return metadata[name] === null ? undefined : metadata[name];
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function invalidMetadata(description: string): OAuthError {
  return new OAuthError('invalid_client_metadata', description);
}

/** RFC 7591 §3: the endpoint "MUST accept HTTP POST messages with request parameters encoded in the entity body using the "application/json" format". */
async function readMetadata(c: Context): Promise<Metadata> {
  if (mediaType(c.req.header('content-type')) !== 'application/json') {
    throw invalidMetadata('The registration request must be a JSON object sent as application/json (RFC 7591 §3).');
  }
  try {
    return parseJsonObject(await c.req.text()) as Metadata;
  } catch (error) {
    if (!(error instanceof JsonObjectError)) throw error;
    // RFC 7591 §3.1: the client metadata are the members of one JSON object.
    throw invalidMetadata(
      error.found === 'not JSON'
        ? 'The registration request body is not valid JSON (RFC 7591 §3.1).'
        : 'The registration request body must be a JSON object of client metadata (RFC 7591 §3.1).',
    );
  }
}

/**
 * RFC 7591 §5: "authorization servers MUST require clients to register their redirection URI
 * values" for the authorization_code grant; each one must pass the rule that CIMD documents'
 * redirect URIs pass too (redirect-uri.ts: absolute, no fragment, https or loopback http).
 */
function checkRedirectUris(metadata: Metadata): string[] {
  const uris = member(metadata, 'redirect_uris');
  if (!isStringArray(uris) || uris.length === 0) {
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris is required: a non-empty array of strings (RFC 7591 §2, §5).');
  }
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    // MCP Communication Security: "All redirect URIs MUST be either localhost or use HTTPS."
    if (problem) throw new OAuthError('invalid_redirect_uri', `The ${problem}.`);
  }
  return [...new Set(uris)];
}

/** Public clients only: "none" is the one method this AS supports (token_endpoint_auth_methods_supported). */
function checkTokenEndpointAuthMethod(metadata: Metadata): 'none' {
  const method = member(metadata, 'token_endpoint_auth_method');
  if (method !== undefined && method !== 'none') {
    throw invalidMetadata(
      `token_endpoint_auth_method ${JSON.stringify(method)} is not supported: this server issues no client secrets and registers public clients only; use "none".`,
    );
  }
  return 'none';
}

/** RFC 7591 §2: if omitted, "the client will use only the "authorization_code" Grant Type". */
function checkGrantTypes(metadata: Metadata): RegisteredClient['grant_types'] {
  const requested = member(metadata, 'grant_types');
  if (requested === undefined) return ['authorization_code'];
  if (!isStringArray(requested) || requested.length === 0) {
    throw invalidMetadata('grant_types must be a non-empty array of strings (RFC 7591 §2).');
  }
  // grant_types_supported: authorization_code and refresh_token.
  const unsupported = requested.filter((grant) => grant !== 'authorization_code' && grant !== 'refresh_token');
  if (unsupported.length > 0) {
    throw invalidMetadata(`grant_types ${unsupported.join(', ')} not supported: this server offers authorization_code and refresh_token (OAuth 2.1 removed implicit and password).`);
  }
  if (!requested.includes('authorization_code')) {
    throw invalidMetadata('grant_types must include authorization_code: a refresh token comes from an authorization.');
  }
  return requested.includes('refresh_token') ? ['authorization_code', 'refresh_token'] : ['authorization_code'];
}

/** RFC 7591 §2: if omitted, "the default is that the client will use only the "code" response type". */
function checkResponseTypes(metadata: Metadata): ['code'] {
  const requested = member(metadata, 'response_types');
  if (requested === undefined) return ['code'];
  // OAuth 2.1 §4.1.1: "code" is the only response type; RFC 7591 §2.1 pairs it with authorization_code.
  if (!isStringArray(requested) || requested.length === 0 || requested.some((type) => type !== 'code')) {
    throw invalidMetadata(`response_types ${JSON.stringify(requested)} not supported: only ["code"] (OAuth 2.1 removed the implicit "token").`);
  }
  return ['code'];
}

/** RFC 7591 §2: client_name is a human-readable string, self-asserted (nothing verifies it). */
function checkClientName(metadata: Metadata): string | undefined {
  const name = member(metadata, 'client_name');
  if (name === undefined) return undefined;
  if (typeof name !== 'string') throw invalidMetadata('client_name must be a string (RFC 7591 §2).');
  return name.trim() === '' ? undefined : name;
}

/** RFC 7591 §2: scope is "a space-separated list of scope values"; this AS registers only ones it supports. */
function checkScope(metadata: Metadata, config: RegistrationConfig): string | undefined {
  const scope = member(metadata, 'scope');
  if (scope === undefined || scope === '') return undefined;
  if (typeof scope !== 'string') throw invalidMetadata('scope must be a string of space-separated scope values (RFC 7591 §2).');
  // RFC 6749 §3.3: scope = scope-token *( SP scope-token ).
  const scopes = scopeTokens(scope, 'invalid_client_metadata');
  const unknown = scopes.filter((token) => !config.scopesSupported.includes(token));
  if (unknown.length > 0) {
    throw invalidMetadata(`Unknown scope: ${unknown.join(' ')}; supported: ${config.scopesSupported.join(' ')}.`);
  }
  return [...new Set(scopes)].join(' ');
}

/** RFC 7591 §3.2.1: the client information response, every registered member and no secret. */
function clientInformation(client: RegisteredClient): Record<string, unknown> {
  return {
    client_id: client.client_id,
    client_id_issued_at: client.client_id_issued_at,
    ...(client.client_name !== undefined ? { client_name: client.client_name } : {}),
    redirect_uris: client.redirect_uris,
    grant_types: client.grant_types,
    response_types: client.response_types,
    token_endpoint_auth_method: client.token_endpoint_auth_method,
    ...(client.scope !== undefined ? { scope: client.scope } : {}),
  };
}

export function createRegistrationHandler({ config, clients, emit }: RegistrationDependencies) {
  return async function register(c: Context): Promise<Response> {
    // RFC 7591 §2: "The authorization server MUST ignore any client metadata sent by the client that it does not understand".
    // So only the members below are read; any other is left out of the record.
    const metadata = await readMetadata(c);
    const redirect_uris = checkRedirectUris(metadata);
    const token_endpoint_auth_method = checkTokenEndpointAuthMethod(metadata);
    const grant_types = checkGrantTypes(metadata);
    const response_types = checkResponseTypes(metadata);
    const client_name = checkClientName(metadata);
    const scope = checkScope(metadata, config);

    const registration: ClientRegistration = {
      redirect_uris,
      token_endpoint_auth_method,
      grant_types,
      response_types,
      ...(client_name !== undefined ? { client_name } : {}),
      ...(scope !== undefined ? { scope } : {}),
    };
    const outcome = clients.register(registration);
    if (!outcome.registered) {
      // RFC 7591 §3.1: open registration may be "limited to prevent a denial-of-service attack";
      // recently active clients are never evicted to make room (registered-clients.ts).
      // RFC 7591 §3.2.2 defines no code for a full server; its errors are RFC 6749-style JSON, and
      // RFC 6749's temporarily_unavailable (with 503 and Retry-After) says exactly this.
      throw new OAuthError(
        'temporarily_unavailable',
        `Registration refused: this server keeps at most ${outcome.limit} registered clients and every one of them was active recently. Retry later, or use a Client ID Metadata Document URL as client_id (no registration needed).`,
        { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
      );
    }
    const { client, evicted } = outcome;

    const notes = [
      member(metadata, 'token_endpoint_auth_method') === undefined ? 'token_endpoint_auth_method "none" substituted for the default' : '',
      evicted
        ? `store full (${config.maxRegisteredClients}): ${evicted.why === 'unused' ? 'never-used' : 'idle'} client ${evicted.client_id} evicted`
        : '',
    ].filter(Boolean);
    emit('client.registered', {
      client_id: client.client_id,
      ...(client.client_name !== undefined ? { client_name: client.client_name } : {}),
      redirect_uris: client.redirect_uris,
      spec: ['RFC 7591 §3.2.1 (public client, no secret)', ...notes].join('; '),
    });
    // RFC 7591 §3.2.1: success is 201 Created, with the client information as JSON.
    return c.json(clientInformation(client), 201);
  };
}
