/**
 * Who is the client? One lookup, `resolveClient(client_id)`, that the authorization endpoint
 * calls before anything else (RFC 6749 §4.1.2.1: an unknown client is shown an error, never
 * redirected). Two sources, told apart by the shape of the id alone:
 *
 * - a URL (`https://...`, or `http://` on loopback in the demo) names a Client ID Metadata
 *   Document, fetched and validated by client-id-metadata-document.ts;
 * - anything else can only be an id this AS issued through Dynamic Client Registration
 *   (RFC 7591, dynamic-client-registration.ts). Those ids never start with "https://" or
 *   "http://" (CIMD §6.9), so the two sources can never collide.
 *
 * Either way the client comes out with the same shape, so the redirect URI check at /authorize
 * and the client_id binding at /token treat both alike.
 */
import { OAuthError } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import {
  createClientIdMetadataDocumentResolver,
  isClientIdMetadataDocumentUrl,
  type CimdResolverConfig,
} from './client-id-metadata-document.ts';
import type { RegisteredClients } from './registered-clients.ts';

/** A client the AS knows: enough to check a redirect URI and to show a consent screen. */
export interface Client {
  client_id: string;
  /** Required in a CIMD document (MCP); optional at registration (RFC 7591 §2). */
  client_name?: string;
  redirect_uris: string[];
  /** The grants the client said it uses (RFC 7591 §2 `grant_types`); `refresh_token` here gets it refresh tokens. */
  grant_types: string[];
  /** Where the AS learnt about the client. */
  source: 'client-id-metadata-document' | 'dynamic-client-registration';
}

export type ResolveClient = (clientId: string) => Promise<Client>;

/** `registered` is the store of RFC 7591 registrations, or `undefined` when registration is off. */
export function createClientResolver(config: CimdResolverConfig, emit: Emit, registered: RegisteredClients | undefined): ResolveClient {
  const resolveDocument = createClientIdMetadataDocumentResolver(config, emit);
  return async function resolveClient(clientId) {
    if (isClientIdMetadataDocumentUrl(clientId)) {
      const metadata = await resolveDocument(clientId);
      return { ...metadata, source: 'client-id-metadata-document' };
    }
    // A use keeps the client from eviction (registered-clients.ts).
    const client = registered?.use(clientId);
    if (client) {
      const { client_id, client_name, redirect_uris, grant_types } = client;
      return { client_id, ...(client_name !== undefined ? { client_name } : {}), redirect_uris, grant_types, source: 'dynamic-client-registration' };
    }
    // RFC 6749 §4.1.2.1: "if the client identifier is missing or invalid", inform the user, never redirect.
    throw new OAuthError(
      'invalid_client',
      registered
        ? 'Unknown client_id: not a Client ID Metadata Document URL, and no client is registered with it (registrations live in memory: register again after a restart; RFC 7591).'
        : 'Unknown client_id. This server knows clients by Client ID Metadata Document URL only (client_id_metadata_document_supported).',
      { status: 400 },
    );
  };
}
