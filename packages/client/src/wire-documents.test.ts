import { describe, expect, it } from 'vitest';
import { StepFailure } from './step-failure.ts';
import { readAuthorizationServerMetadata, readClientInformation, readProtectedResourceMetadata, readTokenResponse } from './wire-documents.ts';

const ISSUER = 'https://as.example.com';
const asMetadata = { issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`, code_challenge_methods_supported: ['S256'] };

describe('the documents the client reads are checked, not cast', () => {
  it.each([
    { rule: 'PRM without a string resource (RFC 9728 §2)', read: () => readProtectedResourceMetadata({ authorization_servers: [ISSUER] }) },
    { rule: 'PRM without authorization_servers (MCP)', read: () => readProtectedResourceMetadata({ resource: 'https://mcp.example.com/mcp', authorization_servers: [] }) },
    { rule: 'AS metadata without a token_endpoint', read: () => readAuthorizationServerMetadata({ ...asMetadata, token_endpoint: 7 }, ISSUER) },
    { rule: 'a token response that is not Bearer (OAuth 2.1 §3.2.3)', read: () => readTokenResponse({ access_token: 'a', token_type: 'DPoP' }) },
    { rule: 'client information without a client_id (RFC 7591 §3.2.1)', read: () => readClientInformation({ client_secret: 's' }) },
  ])('refuses $rule', ({ read }) => {
    expect(read).toThrow(StepFailure);
  });

  it('keeps an optional member only when it has its type', () => {
    const metadata = readAuthorizationServerMetadata({ ...asMetadata, registration_endpoint: 42, client_id_metadata_document_supported: true, grant_types_supported: ['authorization_code', 3] }, ISSUER);
    expect(metadata).toEqual({ ...asMetadata, client_id_metadata_document_supported: true });
  });

  it('reads a valid PRM and token response into their shapes', () => {
    expect(readProtectedResourceMetadata({ resource: 'https://mcp.example.com/mcp', authorization_servers: [ISSUER], scopes_supported: ['mcp:connect', 1] }))
      .toEqual({ resource: 'https://mcp.example.com/mcp', authorization_servers: [ISSUER], scopes_supported: ['mcp:connect'] });
    expect(readTokenResponse({ access_token: 'a', token_type: 'bearer', expires_in: 60, scope: 'mcp:connect', refresh_token: 5 }))
      .toEqual({ access_token: 'a', token_type: 'bearer', expires_in: 60, scope: 'mcp:connect' });
  });
});
