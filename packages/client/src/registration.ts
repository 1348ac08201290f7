/**
 * How the client gets a `client_id`, in the order the MCP spec (2025-11-25, "Client
 * Registration Approaches") gives:
 *   1. pre-registered credentials, when the user supplied them;
 *   2. a Client ID Metadata Document, when the AS says `client_id_metadata_document_supported`;
 *   3. Dynamic Client Registration (RFC 7591), when the AS has a `registration_endpoint`;
 *   4. otherwise a clear error: there is no way to register with this server.
 */
import { isLoopbackHost } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { AuthorizationServerMetadata } from './discovery.ts';
import { describeResponse, readJsonObject, StepFailure } from './step-failure.ts';
import { readClientInformation } from './wire-documents.ts';
import type { Fetch } from './traced-fetch.ts';

export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

export interface ClientCredentials {
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
}

export interface RegistrationOptions {
  /** Pre-registered client id (and secret, for a confidential client). */
  clientId?: string;
  clientSecret?: string;
  /**
   * The issuer the pre-registered credentials belong to, as the user named it. A secret is sent
   * only to this AS: a server the user does not control picks the AS, and could pick one that
   * collects secrets.
   */
  issuer?: string;
  /** The URL of this client's metadata document: used as `client_id` with CIMD. */
  clientMetadataUrl?: string;
  /** Skip CIMD and use Dynamic Client Registration even where CIMD is supported. */
  preferDynamicRegistration?: boolean;
  /** The redirect URI the client registers and uses. */
  redirectUri: string;
  /** `client_name` sent with Dynamic Client Registration. */
  clientName: string;
}

export interface RegistrationContext {
  fetch: Fetch;
  emit: Emit;
  /** The MCP server URL the user named: without `issuer`, a secret goes only to an AS on its host. */
  serverUrl?: string;
}

/**
 * Where a client secret may go: to the issuer the user named, or (none named) to an AS on the
 * host of the MCP server the user named. A remote MCP server picks the AS; it must not be able
 * to pick one that collects the user's secret.
 */
function secretDestinationAllowed(issuer: string, options: RegistrationOptions, serverUrl: string | undefined): boolean {
  if (options.issuer !== undefined) return options.issuer === issuer;
  return serverUrl !== undefined && new URL(serverUrl).hostname === new URL(issuer).hostname;
}

/**
 * A confidential client authenticates the way the AS supports (RFC 8414 §2: the default, when
 * `token_endpoint_auth_methods_supported` is absent, is `client_secret_basic`).
 */
function secretMethod(metadata: AuthorizationServerMetadata): TokenEndpointAuthMethod {
  const supported = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  if (supported.includes('client_secret_basic')) return 'client_secret_basic';
  if (supported.includes('client_secret_post')) return 'client_secret_post';
  throw new StepFailure('client_secret_basic or client_secret_post at the token endpoint', `only ${supported.join(', ')}`);
}

/**
 * CIMD draft -01 §6.5: an AS fetches a loopback document URL only when it runs on loopback
 * itself. A loopback document (the demo's) is therefore no use to a remote AS: skip CIMD there.
 */
function documentReachableBy(documentUrl: string, issuer: string): boolean {
  return !isLoopbackHost(new URL(documentUrl).hostname) || isLoopbackHost(new URL(issuer).hostname);
}

export async function obtainClientCredentials(
  metadata: AuthorizationServerMetadata,
  options: RegistrationOptions,
  ctx: RegistrationContext,
): Promise<ClientCredentials> {
  if (options.clientId) {
    // A client secret goes only to the AS the user named (issue: a remote MCP server chooses the
    // AS; RFC 6749 §2.3.1 credentials are for one AS, and MCP 2026-07-28 binds them to the issuer).
    // MCP 2026-07-28 (SEP-2352): credentials are bound to their issuer, never used with another AS.
    if (options.issuer !== undefined && options.issuer !== metadata.issuer) {
      throw new StepFailure(
        `the authorization server named with --issuer (${options.issuer}) for --client-id`,
        `issuer ${JSON.stringify(metadata.issuer)}: these credentials belong to another AS`,
      );
    }
    if (options.clientSecret && !secretDestinationAllowed(metadata.issuer, options, ctx.serverUrl)) {
      throw new StepFailure(
        options.issuer
          ? `the authorization server named with --issuer (${options.issuer}) for the client secret`
          : `an authorization server on the MCP server's host for the client secret (name another with --issuer)`,
        `issuer ${JSON.stringify(metadata.issuer)}: the secret is not sent to it`,
      );
    }
    const method = options.clientSecret ? secretMethod(metadata) : 'none';
    ctx.emit('registration.chosen', {
      method: 'pre-registered',
      client_id: options.clientId,
      why: options.clientSecret
        ? `credentials were supplied; token endpoint auth: ${method}; the CLIENT SECRET WILL BE SENT to ${metadata.token_endpoint} (issuer ${metadata.issuer}, ${options.issuer ? 'named with --issuer' : "on the MCP server's host"})`
        : `credentials were supplied; token endpoint auth: ${method}`,
      spec: 'MCP 2025-11-25 Client Registration Approaches',
    });
    return {
      client_id: options.clientId,
      ...(options.clientSecret && { client_secret: options.clientSecret }),
      token_endpoint_auth_method: method,
    };
  }

  if (metadata.client_id_metadata_document_supported === true && options.clientMetadataUrl && !options.preferDynamicRegistration &&
      documentReachableBy(options.clientMetadataUrl, metadata.issuer)) {
    ctx.emit('registration.chosen', {
      method: 'cimd',
      client_id: options.clientMetadataUrl,
      why: 'the AS supports Client ID Metadata Documents: the client_id is the URL of our metadata document',
      spec: 'draft-ietf-oauth-client-id-metadata-document §3',
    });
    return { client_id: options.clientMetadataUrl, token_endpoint_auth_method: 'none' };
  }

  if (metadata.registration_endpoint) {
    return registerDynamically(metadata, options, ctx);
  }

  throw new StepFailure(
    'a way to register: pre-registered credentials, Client ID Metadata Document support, or a registration_endpoint',
    'none of them (pass --client-id to use a pre-registered client)',
  );
}

/**
 * RFC 7591 §3.2.1: the AS may assign a different `token_endpoint_auth_method` (and a secret)
 * than asked for. Use the one it returned when the AS supports it; otherwise the strongest
 * supported method the credentials allow (basic, then post, then none).
 */
function registeredAuthMethod(
  returned: unknown,
  secret: string | undefined,
  metadata: AuthorizationServerMetadata,
): TokenEndpointAuthMethod {
  const supported = metadata.token_endpoint_auth_methods_supported;
  const known: TokenEndpointAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];
  const isKnown = (m: unknown): m is TokenEndpointAuthMethod => known.includes(m as TokenEndpointAuthMethod);
  if (isKnown(returned) && (!supported || supported.includes(returned))) return returned;
  if (!secret) return 'none';
  return known.find((m) => m !== 'none' && (supported ?? ['client_secret_basic']).includes(m)) ?? 'none';
}

/**
 * OpenID Connect Dynamic Client Registration §2 `application_type`, which MCP 2026-07-28 makes
 * a MUST for DCR (SEP-837): `native` for a client whose redirect URI is on this machine (a CLI,
 * a desktop app: loopback, RFC 8252 §7.3), `web` for one that redirects to a web origin. Valid
 * under 2025-11-25 too, so it is always sent.
 */
export function applicationType(redirectUri: string): 'native' | 'web' {
  return isLoopbackHost(new URL(redirectUri).hostname) ? 'native' : 'web';
}

/** RFC 7591 §3.1: a public client registers its metadata and receives a `client_id`. */
async function registerDynamically(
  metadata: AuthorizationServerMetadata,
  options: RegistrationOptions,
  ctx: RegistrationContext,
): Promise<ClientCredentials> {
  ctx.emit('registration.chosen', {
    method: 'dcr',
    client_id: '(assigned by the AS)',
    why: options.preferDynamicRegistration ? 'Dynamic Client Registration was asked for' : 'the AS has a registration_endpoint',
    spec: 'RFC 7591 §3',
  });
  const response = await ctx.fetch(metadata.registration_endpoint!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_name: options.clientName,
      redirect_uris: [options.redirectUri],
      // SEP-2207: listing refresh_token is how a client asks for refresh tokens.
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      // MCP 2026-07-28 client registration (SEP-837): "MUST include application_type".
      application_type: applicationType(options.redirectUri),
    }),
  });
  // RFC 7591 §3.2.1: success is 201 Created with the client information.
  if (response.status !== 201 && response.status !== 200) {
    throw new StepFailure('201 Created from the registration endpoint (RFC 7591 §3.2.1)', await describeResponse(response));
  }
  const info = readClientInformation(await readJsonObject(response, 'client information (RFC 7591 §3.2.1)'));
  const secret = info.client_secret;
  const method = registeredAuthMethod(info.token_endpoint_auth_method, secret, metadata);
  ctx.emit('registration.completed', { client_id: info.client_id, redirect_uris: [options.redirectUri], spec: 'RFC 7591 §3.2.1' });
  return { client_id: info.client_id, ...(secret && { client_secret: secret }), token_endpoint_auth_method: method };
}
