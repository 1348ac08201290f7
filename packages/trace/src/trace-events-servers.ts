/**
 * The servers' events: what the authorization server and the MCP server (resource server)
 * checked and decided, and what any server says of itself. One part of the event map
 * (`TraceEventMap`, trace.ts).
 */
import type { ProtocolRevision, Rejection } from '@mcp-auth-demo/common';

/** Decoded access-token claims that the trace shows (never the token itself). */
export interface TokenClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  client_id?: string;
  scope?: string;
  exp?: number;
  iat?: number;
  jti?: string;
}

export interface AuthorizationServerEvents {
  // --- authorization server -------------------------------------------------------------
  'cimd.fetched': { client_id: string; status: number; bytes: number; ms: number };
  'cimd.cache_hit': { client_id: string; age_s: number };
  /** `grant_types`: as the document lists them (RFC 7591 §2; absent from events of older servers). */
  'cimd.validated': { client_id: string; client_name: string; redirect_uris: string[]; grant_types?: string[]; cache_for_s: number };
  'cimd.rejected': { client_id: string; reason: string };
  'client.registered': { client_id: string; client_name?: string; redirect_uris: string[] };
  'consent.auto_approved': {
    client_id: string;
    client_host: string;
    /** Where the code is about to be sent: the host of this request's redirect URI. */
    redirect_host: string;
    /** The redirect host is not the client_id's host (a consent page warns). */
    redirect_elsewhere: boolean;
    sub: string;
    scope: string;
    loopback_redirects_only: boolean;
  };
  /** Headless, and the redirect URI is not loopback: nobody to ask, so access_denied. */
  'consent.refused': { client_id: string; redirect_host: string; reason: string };
  /** The AS holds the request and shows the person a page (sign-in first when `sign_in`). */
  'consent.requested': {
    client_id: string;
    client_host: string;
    redirect_host: string;
    redirect_elsewhere: boolean;
    scope: string;
    loopback_redirects_only: boolean;
    sign_in: boolean;
  };
  'signin.succeeded': { sub: string };
  'signin.failed': { attempt: number; max: number };
  /** `new_scopes`: those this person had not granted this client before (step-up). */
  'consent.approved': { client_id: string; sub: string; scope: string; new_scopes: string[] };
  'consent.denied': { client_id: string; sub?: string; scope: string };
  'code.issued': { client_id: string; scope: string; resource: string; expires_in: number };
  'code.replayed': { client_id: string; revoked_tokens: number };
  /**
   * `code_challenge`: the one of the authorization request whose code was redeemed (public: it went
   * through the front channel); `family`: the refresh token family this grant started, if any. Both
   * let the grader follow one session (packages/verdicts/src/sessions.ts).
   */
  'token.issued': { client_id: string; claims: TokenClaims; expires_in: number; code_challenge?: string; family?: string };
  /** A refresh token was exchanged (and rotated) for a new access token; `family`: which family. */
  'token.refreshed': { client_id: string; claims: TokenClaims; expires_in: number; narrowed: boolean; family?: string };
  /** A rotated-out refresh token came back: its whole family is revoked. */
  'refresh_token.reused': { client_id: string; revoked_tokens: number };
  /** RFC 7636 §4.6 at /token: the verifier hashed (S256) and compared with the challenge stored with the code. */
  'pkce.verified': { client_id: string; code_verifier: string; computed_challenge: string; stored_challenge: string };
  'pkce.failed': { client_id: string; code_verifier: string; computed_challenge: string; stored_challenge: string };
  /**
   * RFC 7662: an introspection answer. At the AS: who asked (`caller`), the verdict, and why a
   * token is inactive (`reason`, never sent on the wire). At the RS: the verdict it received, or
   * reused from its short cache (`cached`).
   */
  'token.introspected': { active: boolean; caller?: string; reason?: string; jti?: string; cached?: boolean };
  /**
   * Revocation by push (docs/revocation.md). At the AS: a resource server subscribed to revocation
   * SETs (first in this AS run, or catching up `caught_up` of them); `cursor` is the log's newest entry.
   */
  'revocation.subscribed': { caller: string; resource: string; delivery_url?: string; epoch: string; cursor: number; caught_up: number };
  /** At the AS: a revocation SET (RFC 8417) pushed to a resource server (RFC 8935); `delivered` when it answered 202. */
  'security_event.pushed': { to: string; jti: string; seq: number; status: number | 'no answer'; delivered: boolean };

  /**
   * What a client asked for, as the AS received it (first value of each parameter; secrets
   * shortened). Lets `pnpm serve` grade a client it did not write (packages/verdicts).
   */
  /** `contrast`: the request declared itself the lab client's deliberate attack (CONTRAST_HEADER, common). */
  'authorization.received': { client_id: string; params: Record<string, string>; contrast?: string };
  'token.requested': { client_id?: string; grant_type: string; params: Record<string, string> };
  'as_metadata.served': { path: string };
}

export interface ResourceServerEvents {
  // --- resource server ------------------------------------------------------------------
  'jwks.fetched': { url: string; keys: number };
  /** A verified revocation SET: the token `jti` is refused from now on; `via` push (RFC 8935) or catch-up. */
  'security_event.received': { jti: string; seq: number; via: 'push' | 'catch-up' };
  /**
   * The revocation channel to the AS is live: revoked tokens are known here, pushed, and tokens are
   * checked locally (`caught_up`: SETs fetched on (re)connecting; `restarted`: a new AS run).
   */
  'revocation_channel.live': { epoch: string; cursor: number; caught_up: number; restarted: boolean };
  /** The channel is lost (AS down, restarting, refusing): every token is introspected until it is back. Said once. */
  'revocation_channel.lost': { why: string };
  /** `resource`: the RS's own canonical URI, which `aud` was checked against. */
  'token.accepted': { claims: TokenClaims; resource?: string };
  /** `client_id`, `aud`: the claims as the token states them, unverified, only to say whose token it was and for whom. */
  'token.rejected': { reason: string; client_id?: string; aud?: string; contrast?: string };
  /** `client_id`, `jti`: of the token presented, as it states them. */
  'scope.insufficient': { tool: string; required: string[]; held: string[]; client_id?: string; jti?: string };
  'prm.served': { path: string };
  /** A token sent outside the Authorization header (refused); `client_id` as the token claims it, unverified. */
  'token.misplaced': { via: 'query' | 'body'; client_id?: string; contrast?: string };
  'origin.rejected': { origin: string };
  'tool.invoked': { name: string; sub: string };
  /** Which protocol revision a request speaks, and what in the request says so. */
  'mcp.era_detected': { era: ProtocolRevision; method: string; evidence: string };
}

export interface AnyServerEvents {
  // --- any server -----------------------------------------------------------------------
  /** An error answer, as `describeRejection` (oauth-error.ts) reads it off the response. */
  'request.rejected': Rejection;
  /** `url` is how clients reach the server; `bound` the address it actually listens on. */
  'server.listening': { url: string; bound: string };
}
