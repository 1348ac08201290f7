/**
 * What the client knows about one MCP server during a journey (journey.ts), in one place: the
 * Protected Resource Metadata and the authorization server it learnt by discovery, the client_id
 * it registered, and the grant it holds. The journey decides; the session remembers. The PRM is
 * kept whole: its `resource` is read only where a request is built (authorize.ts forResource).
 */
import type { TokenSet } from './authorize.ts';
import type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './discovery.ts';
import type { ClientCredentials } from './registration.ts';

export class JourneySession {
  /** What the Protected Resource Metadata said (RFC 9728), once discovered and matched (discovery.ts). */
  protectedResource: ProtectedResourceMetadata | undefined;
  /** The authorization server's metadata (RFC 8414), once discovered. */
  metadata: AuthorizationServerMetadata | undefined;
  /** The client's credentials at that authorization server (issuer-bound-credentials.ts). */
  client: ClientCredentials | undefined;
  /** The scopes the token holds, and the scopes the last authorization request asked for. */
  held: string[] = [];
  requested: string[] = [];
  /** The current refresh token, if the AS issued one; replaced on every refresh (rotation). */
  refreshToken: string | undefined;
  /** The AS that issued it: a refresh token, like any credential, is never sent to another (SEP-2352). */
  refreshIssuer: string | undefined;

  /** What the Protected Resource Metadata said. */
  discovered(prm: ProtectedResourceMetadata): void {
    this.protectedResource = prm;
  }

  /** The PRM's `scopes_supported`, for the scope selection strategy. */
  get scopesSupported(): string[] | undefined {
    return this.protectedResource?.scopes_supported;
  }

  /** A new grant from an authorization, which asked for `scope`. */
  authorized(tokens: TokenSet, scope: string | undefined, issuer: string): void {
    this.held = tokens.scopes;
    this.requested = scope?.split(' ').filter(Boolean) ?? [];
    this.refreshToken = tokens.refresh_token;
    this.refreshIssuer = issuer;
  }

  /** A refreshed access token; OAuth 2.1 §4.3.1: the old refresh token must never be sent again. */
  refreshed(tokens: TokenSet): void {
    this.held = tokens.scopes;
    this.refreshToken = tokens.refresh_token;
  }

  forgetRefreshToken(): void {
    this.refreshToken = undefined;
  }
}
