/**
 * Refreshing an access token (RFC 6749 §6, OAuth 2.1 §4.3), as a public client does it.
 *
 * - The request names the same `resource` as the authorization (RFC 8707 §2.2; MCP requires it on
 *   every token request) and no `scope`: omitted, it means the scope originally granted.
 * - OAuth 2.1 §4.3.1: the AS rotates refresh tokens for public clients, so the answer carries a
 *   new one and the old one must be forgotten (presenting it again revokes the whole grant,
 *   RFC 9700 §4.14.2).
 * - A refresh can never widen the scope (RFC 6749 §6): on 403 insufficient_scope the journey
 *   authorizes again instead, and the trace says why.
 */
import { addClientAuthentication, processTokenResponse, type AuthorizationRequest, type AuthorizeContext, type TokenSet } from './authorize.ts';

/** `scope` is NOT sent (omitted means "as granted"); it is what the client holds, should the answer omit it. */
export interface RefreshRequest extends Omit<AuthorizationRequest, 'redirectUri'> {
  refresh_token: string;
}

/** POSTs the refresh_token grant; a refusal (any non-200) throws a StepFailure like any token request. */
export async function refreshAccessToken(request: RefreshRequest, ctx: AuthorizeContext): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: request.refresh_token, resource: request.resource });
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  addClientAuthentication(request.client, form, headers);
  const response = await ctx.fetch(request.metadata.token_endpoint, { method: 'POST', headers, body: form.toString() });
  return processTokenResponse(response, { ...request, redirectUri: '' }, ctx);
}
