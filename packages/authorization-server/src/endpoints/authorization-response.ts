/**
 * The successful authorization response (RFC 6749 §4.1.2): a code bound to everything that was
 * approved, sent to the validated redirect URI with `state` and `iss` (RFC 9207 §2). Used by the
 * authorization endpoint (auto-approved loopback requests) and by the consent form (approved by
 * a person).
 */
import { OAuthError } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { AuthorizationGrant, CodeStore } from '../state/codes.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Client } from '../clients/resolve-client.ts';

/** The slice of the configuration this module reads. */
export type AuthorizationResponseConfig = Pick<ResolvedConfig, 'codeTtlSeconds' | 'issuer'>;

/** An authorization request that passed every check of the authorization endpoint. */
export interface ValidatedAuthorizationRequest {
  client: Client;
  /** The registered (matched) redirect URI the response goes to. */
  redirect_uri: string;
  state?: string;
  code_challenge: string;
  scope: string;
  resource: string;
}

export interface ResponseDependencies {
  config: AuthorizationResponseConfig;
  codes: CodeStore;
  emit: Emit;
}

/**
 * A code, or the refusal of a full store. RFC 6749 §4.1.2.1: temporarily_unavailable, "The
 * authorization server is currently unable to handle the request due to a temporary overloading".
 * Redirected like any error after the redirect URI is known; codes expire within a minute, so
 * the client may simply try again.
 */
function issueCode(codes: CodeStore, grant: AuthorizationGrant): string {
  const issuance = codes.issue(grant);
  if (issuance.issued) return issuance.code;
  const whose = issuance.reason === 'client_full' ? 'this client has' : 'all clients together have';
  throw new OAuthError(
    'temporarily_unavailable',
    `Too many authorization codes pending: ${whose} ${issuance.limit} unredeemed codes; redeem them or retry after they expire (RFC 6749 §4.1.2.1).`,
  );
}

export function respondWithCode(request: ValidatedAuthorizationRequest, sub: string, { config, codes, emit }: ResponseDependencies): Response {
  const { client, redirect_uri, code_challenge, scope, resource, state } = request;
  // SEP-2207 / RFC 7591 §2: the client asks for refresh tokens by listing the refresh_token grant.
  const refresh = client.grant_types.includes('refresh_token');
  const code = issueCode(codes, { client_id: client.client_id, redirect_uri, code_challenge, scope, resource, sub, refresh });
  emit('code.issued', {
    client_id: client.client_id,
    scope,
    resource,
    expires_in: config.codeTtlSeconds,
    spec: 'RFC 6749 §4.1.2; bound to client, redirect_uri, PKCE challenge, scope, resource',
  });

  // RFC 6749 §4.1.2: code and state (if sent) are added to the redirect URI's query; RFC 9207 §2: iss too.
  const location = new URL(redirect_uri);
  location.searchParams.set('code', code);
  if (state !== undefined) location.searchParams.set('state', state);
  location.searchParams.set('iss', config.issuer);
  return new Response(null, { status: 302, headers: { Location: location.href, 'Cache-Control': 'no-store' } });
}
