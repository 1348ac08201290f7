/**
 * Discovery: from an MCP server URL to the authorization server's metadata.
 *
 * - MCP 2025-11-25 "Authorization Server Discovery" and "Protected Resource Metadata Discovery
 *   Requirements": use `resource_metadata` from `WWW-Authenticate` when present, else the
 *   well-known URIs, path-suffixed first, then root.
 * - RFC 9728 §3 (the PRM document) and §3.3 (its `resource` must match the server).
 * - RFC 8414 §3 (AS metadata, path insertion) and §3.3 (`issuer` must match), with the OpenID
 *   Connect Discovery fallbacks the MCP spec requires.
 * - MCP "Authorization Code Protection": refuse to go on without S256 PKCE support.
 */
import { authorizationServerMetadataUrls, findAuthorizationServerMetadata, protectedResourceMetadataUrl, type AuthorizationServerMetadata } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import { readJsonObject, StepFailure } from './step-failure.ts';
import { readAuthorizationServerMetadata, readProtectedResourceMetadata, type ProtectedResourceMetadata } from './wire-documents.ts';
import type { Fetch } from './traced-fetch.ts';

export type { ProtectedResourceMetadata };

export type { AuthorizationServerMetadata };

export interface DiscoveryContext {
  fetch: Fetch;
  emit: Emit;
}

const ACCEPT_JSON = { headers: { Accept: 'application/json' } };

/** Fetches the first PRM candidate URL that answers 200; 4xx means "try the next one". */
async function fetchFirstFound(candidates: string[], ctx: DiscoveryContext, what: string) {
  const misses: string[] = [];
  for (const url of candidates) {
    const response = await ctx.fetch(url, ACCEPT_JSON);
    if (response.ok) return { url, document: await readJsonObject(response, what) };
    await response.body?.cancel();
    misses.push(`${url} → ${response.status}`);
    if (response.status >= 500) break; // a broken server, not a missing document
  }
  throw new StepFailure(what, misses.join(', '));
}

/** The well-known PRM URLs for an MCP server URL: path-suffixed first, then the root (MCP). */
export function protectedResourceMetadataUrls(serverUrl: string): string[] {
  const suffixed = protectedResourceMetadataUrl(serverUrl);
  const root = protectedResourceMetadataUrl(new URL(serverUrl).origin);
  return suffixed === root ? [root] : [suffixed, root];
}

/**
 * RFC 9728 §3.3: the PRM `resource` MUST match the server. Like the official SDK, a resource
 * that is the same origin and a parent path of the server URL also matches (a PRM at the root
 * describing the whole origin).
 */
export function resourceMatchesServer(resource: string, serverUrl: string): boolean {
  let res: URL;
  try {
    res = new URL(resource);
  } catch {
    return false;
  }
  const server = new URL(serverUrl);
  if (res.origin !== server.origin || res.hash) return false;
  const resPath = res.pathname.endsWith('/') ? res.pathname : `${res.pathname}/`;
  const serverPath = server.pathname.endsWith('/') ? server.pathname : `${server.pathname}/`;
  return serverPath.startsWith(resPath);
}

export async function discoverProtectedResource(
  serverUrl: string,
  resourceMetadataUrl: string | undefined,
  ctx: DiscoveryContext,
): Promise<ProtectedResourceMetadata> {
  // MCP: use the URL from WWW-Authenticate when present; otherwise fall back to well-known URIs.
  const candidates = resourceMetadataUrl ? [resourceMetadataUrl] : protectedResourceMetadataUrls(serverUrl);
  const { url, document } = await fetchFirstFound(candidates, ctx, 'Protected Resource Metadata (RFC 9728)');

  // RFC 9728 §2; MCP: at least one authorization_servers entry (wire-documents.ts).
  const { resource, authorization_servers, scopes_supported: scopes } = readProtectedResourceMetadata(document);
  ctx.emit('prm.discovered', {
    url,
    resource,
    authorization_servers,
    ...(scopes && { scopes_supported: scopes }),
    spec: 'RFC 9728 §3',
  });

  // RFC 9728 §3.3: "If these values are not identical, the data contained in the response MUST NOT be used."
  if (!resourceMatchesServer(resource, serverUrl)) {
    throw new StepFailure(`PRM resource matching ${serverUrl} (RFC 9728 §3.3)`, `resource ${resource}`);
  }
  ctx.emit('prm.resource_matched', { resource, server: serverUrl, spec: 'RFC 9728 §3.3' });
  return { resource, authorization_servers, ...(scopes && { scopes_supported: scopes }) };
}

/** RFC 8414 §3.1 path insertion, then OpenID Connect Discovery, in the MCP order (common/well-known.ts). */
export { authorizationServerMetadataUrls };

export async function discoverAuthorizationServer(issuer: string, ctx: DiscoveryContext): Promise<AuthorizationServerMetadata> {
  const what = 'authorization server metadata (RFC 8414 or OpenID Connect Discovery)';
  const misses: string[] = [];
  const search = await findAuthorizationServerMetadata(issuer, async (url) => {
    const response = await ctx.fetch(url, ACCEPT_JSON);
    if (response.ok) return readJsonObject(response, what);
    await response.body?.cancel();
    misses.push(`${url} → ${response.status}`);
    // A 4xx means "not here, try the next one"; a 5xx is a broken server, not a missing document.
    if (response.status >= 500) throw new StepFailure(what, misses.join(', '));
    return undefined;
  });
  if (search.outcome === 'none') throw new StepFailure(what, misses.join(', '));
  // RFC 8414 §3.3: the issuer "MUST be identical" to the one asked for (common's findAuthorizationServerMetadata).
  if (search.outcome === 'wrong_issuer') {
    throw new StepFailure(`metadata issuer ${issuer} (RFC 8414 §3.3)`, `issuer ${String(search.issuer)}`);
  }
  const { url } = search;
  const metadata = readAuthorizationServerMetadata(search.document, issuer);
  const methods = metadata.code_challenge_methods_supported ?? [];
  ctx.emit('as_metadata.discovered', {
    url,
    issuer: metadata.issuer,
    code_challenge_methods_supported: methods,
    client_id_metadata_document_supported: metadata.client_id_metadata_document_supported === true,
    ...(metadata.registration_endpoint && { registration_endpoint: metadata.registration_endpoint }),
    spec: 'RFC 8414 §3',
  });
  // MCP: "If code_challenge_methods_supported is absent, the authorization server does not
  // support PKCE and MCP clients MUST refuse to proceed."
  if (!methods.includes('S256')) {
    throw new StepFailure('code_challenge_methods_supported listing S256 (MCP, RFC 7636)', JSON.stringify(methods));
  }
  return metadata;
}
