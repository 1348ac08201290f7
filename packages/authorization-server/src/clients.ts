/**
 * Who is the client? One lookup, `resolveClient(client_id)`, that the authorization endpoint
 * calls before anything else (RFC 6749 §4.1.2.1: an unknown client is shown an error, never
 * redirected).
 *
 * Today the only source is the Client ID Metadata Document (a URL as `client_id`). Dynamic
 * Client Registration (RFC 7591) will add a store of registered clients beside it; CIMD §6.9
 * asks that generated ids never start with "https://", so the two can never collide.
 */
import { OAuthError, type Emit } from '@mcp-auth-demo/common';
import {
  createClientIdMetadataDocumentResolver,
  isClientIdMetadataDocumentUrl,
} from './client-id-metadata-document.ts';
import type { ResolvedConfig } from './config.ts';

/** A client the AS knows: enough to check a redirect URI and to show a consent screen. */
export interface Client {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  /** Where the AS learnt about the client. `registered` arrives with RFC 7591. */
  source: 'client-id-metadata-document';
}

export type ResolveClient = (clientId: string) => Promise<Client>;

export function createClientResolver(config: ResolvedConfig, emit: Emit): ResolveClient {
  const resolveDocument = createClientIdMetadataDocumentResolver(config, emit);
  return async function resolveClient(clientId) {
    if (isClientIdMetadataDocumentUrl(clientId)) {
      const metadata = await resolveDocument(clientId);
      return { ...metadata, source: 'client-id-metadata-document' };
    }
    // A registered-clients lookup (RFC 7591) slots in here.
    throw new OAuthError(
      'invalid_client',
      'Unknown client_id. This server knows clients by Client ID Metadata Document URL only (client_id_metadata_document_supported).',
      { status: 400 },
    );
  };
}
