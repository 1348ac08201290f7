/**
 * The token endpoint, refresh_token grant (RFC 6749 §6, OAuth 2.1 §4.3), as an ordered list of
 * checks:
 *
 *   required parameters -> checkResource -> refreshTokens.lookup (reuse revokes the family)
 *   -> bound to the client -> bound to the resource -> checkScopeNarrowing
 *   -> checkNotEarly (only with the opt-in accommodateSdk1StepUp) -> refreshTokens.rotate
 *   -> recordAccessToken -> signAccessToken
 *
 * Errors: RFC 6749 §5.2 (`invalid_request`, `invalid_grant`, `invalid_scope`) and RFC 8707
 * `invalid_target`. A refused request never rotates the token, except a reuse, which revokes.
 *
 * Two refreshes with the same token at the same moment (THE RULE CHOSEN, RFC 9700 §4.14.2): the
 * first rotates it and the second is a reuse, so the whole family is revoked, the access token the
 * first is being given included; the AS cannot tell a client's race from an attacker's. A client
 * must send one refresh at a time per grant.
 */
import { OAuthError } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { ResolvedConfig } from '../config.ts';
import { accessTokenTtlFor } from '../tokens/token-lifetimes.ts';
import { requiredParameter, singleParameter, scopeTokens } from '../request-rules.ts';
import type { RefreshTokenStore } from '../state/refresh-tokens.ts';
import { checkResource } from '../tokens/resource-indicators.ts';
import { accessTokenClaims, signAccessToken } from '../tokens/access-token.ts';
import type { RevokedTokens } from '../state/revoked-tokens.ts';

/** The slice of the configuration this module reads. */
export type RefreshGrantConfig = Pick<ResolvedConfig, 'accessTokenTtlSeconds' | 'accessTokenTtlSecondsByResource' | 'dangerouslyDefaultAudience' | 'issuer' | 'now' | 'refreshTokenAbsoluteSeconds' | 'refreshTokenIdleSeconds' | 'accommodateSdk1StepUp' | 'resources' | 'signingKey'>;

export interface RefreshGrantDependencies {
  config: RefreshGrantConfig;
  refreshTokens: RefreshTokenStore;
  /** Where a reuse writes the family's access tokens; read after signing (see the header). */
  revoked: RevokedTokens;
  emit: Emit;
}

/** RFC 6749 §6: the scope requested "MUST NOT include any scope not originally granted"; omitted = all of it. */
function checkScopeNarrowing(requested: string | undefined, granted: string): string {
  if (requested === undefined) return granted;
  // RFC 6749 §3.3: scope = scope-token *( SP scope-token ).
  const scopes = scopeTokens(requested, 'invalid_scope');
  const held = granted.split(' ');
  const wider = scopes.filter((scope) => !held.includes(scope));
  // RFC 6749 §6: "MUST NOT include any scope not originally granted by the resource owner".
  if (wider.length > 0) {
    throw new OAuthError(
      'invalid_scope',
      `A refresh can narrow the scope, never widen it: ${wider.join(' ')} was not granted (granted: ${granted}); authorize again for more (RFC 6749 §6).`,
    );
  }
  return [...new Set(scopes)].join(' ');
}

/**
 * AN ACCOMMODATION (decision of this AS, within RFC 6749 §5.2's invalid_grant): a refresh is
 * accepted only once the grant's newest access token is about to expire (its last
 * `SDK1_STEP_UP_WINDOW_SECONDS`) or has expired. OFF BY DEFAULT (`accommodateSdk1StepUp`,
 * `--accommodate-sdk1-step-up`): RFC 6749 §6 has no "too early", so by default every valid refresh
 * is accepted at any time. Refused, the family stays intact and the token is not
 * rotated.
 *
 * Why: a public client that asks for a fresh token while it holds a live one almost always does
 * so because the live one was not good enough: a 403 insufficient_scope. A refresh cannot widen
 * scope (RFC 6749 §6), yet the official TypeScript SDK (1.x) refreshes first on step-up, gets the
 * old scope back, retries, gets the same 403 and gives up (typescript-sdk #2255). Refused here,
 * its auth() drops the tokens and authorizes again for the wider scope, and step-up completes.
 * A client that refreshes on expiry (the common case, and ours) never meets this rule.
 */
const SDK1_STEP_UP_WINDOW_SECONDS = 60;

function checkNotEarly(latestExpiryMs: number, config: RefreshGrantConfig): void {
  if (!config.accommodateSdk1StepUp) return;
  const remainingSeconds = Math.ceil((latestExpiryMs - config.now()) / 1000);
  if (remainingSeconds > SDK1_STEP_UP_WINDOW_SECONDS) {
    throw new OAuthError(
      'invalid_grant',
      `The access token of this grant is still valid for ${remainingSeconds} s; this AS (--accommodate-sdk1-step-up) accepts a refresh within its last ${SDK1_STEP_UP_WINDOW_SECONDS} s or after it expires. A refresh cannot widen scope (RFC 6749 §6): for insufficient_scope, authorize again.`,
    );
  }
}

export function createRefreshGrant({ config, refreshTokens, revoked, emit }: RefreshGrantDependencies) {
  return async function refresh(params: URLSearchParams): Promise<Record<string, unknown>> {
    // RFC 6749 §6: refresh_token is REQUIRED; a public client identifies itself with client_id (RFC 6749 §3.2.1).
    const presented = requiredParameter(params, 'refresh_token', 'RFC 6749 §6');
    const client_id = requiredParameter(params, 'client_id', 'a public client identifies itself, RFC 6749 §3.2.1');
    const requestedScope = singleParameter(params, 'scope');
    // MCP: resource "MUST be included in both authorization requests and token requests".
    const resource = checkResource(params, config.resources, config.dangerouslyDefaultAudience);

    const found = refreshTokens.lookup(presented);
    if (found.outcome === 'reused') {
      emit('refresh_token.reused', {
        client_id: found.client_id,
        revoked_tokens: found.revoked,
        spec: 'RFC 9700 §4.14.2: a rotated-out refresh token came back; the whole family is revoked, access tokens included',
      });
      throw new OAuthError('invalid_grant', 'This refresh token was already used (rotated); the whole grant is revoked (RFC 9700 §4.14.2). Authorize again.');
    }
    // RFC 6749 §5.2: invalid_grant when the refresh token "is invalid, expired, revoked".
    // This AS keeps refresh tokens in memory only: a restart forgets them all, so say so (docs/refresh.md).
    if (found.outcome === 'unknown') throw new OAuthError('invalid_grant', 'Unknown refresh token: never issued here, or issued before this authorization server restarted (it keeps refresh tokens in memory only). Authorize again.');
    if (found.outcome === 'expired') {
      const lifetime = found.why === 'absolute' ? `${config.refreshTokenAbsoluteSeconds} s after the authorization` : `after ${config.refreshTokenIdleSeconds} s without use`;
      throw new OAuthError('invalid_grant', `The refresh token expired (${found.why} lifetime: ${lifetime}). Authorize again.`);
    }
    const family = found.family;
    // RFC 6749 §6: the AS MUST "validate the refresh token ... [is] bound to the client".
    if (family.grant.client_id !== client_id) {
      throw new OAuthError('invalid_grant', 'The refresh token was issued to another client.');
    }
    // RFC 8707 §2.2: a refresh may name a resource the original grant covered, nothing else.
    if (resource !== family.grant.resource) {
      throw new OAuthError('invalid_target', `The grant covers ${family.grant.resource}, not ${resource} (RFC 8707 §2.2).`);
    }
    const scope = checkScopeNarrowing(requestedScope, family.grant.scope);
    checkNotEarly(refreshTokens.latestAccessTokenExpiry(family.id), config);

    // Lookup and rotation run with no await between them: of two refreshes with the same token,
    // exactly one rotates it; the other presents a rotated-out token, a reuse (see the header).
    const refresh_token = refreshTokens.rotate(family.id);
    const claims = accessTokenClaims({ client_id, sub: family.grant.sub, scope, resource }, { issuer: config.issuer, ttlSeconds: accessTokenTtlFor(config, resource), nowMs: config.now() });
    // Recorded BEFORE signing (an await), so a reuse that arrives meanwhile revokes this token too.
    refreshTokens.recordAccessToken(family.id, { jti: claims.jti, expiresAtMs: claims.exp * 1000, aud: claims.aud });
    const issued = await signAccessToken(claims, await config.signingKey);
    // RFC 9700 §4.14.2: the family was revoked while this token was being signed; hand out nothing.
    if (revoked.isRevoked(claims.jti)) {
      throw new OAuthError('invalid_grant', 'The same refresh token was presented again while this one was being answered; the whole grant is revoked (RFC 9700 §4.14.2). Authorize again.');
    }
    emit('token.refreshed', {
      client_id,
      claims: issued.claims,
      expires_in: issued.expires_in,
      narrowed: scope !== family.grant.scope,
      family: family.id,
      spec: 'OAuth 2.1 §4.3.1: the refresh token is rotated; the old one now revokes the family if it comes back (RFC 9700 §4.14.2)',
    });
    return {
      access_token: issued.access_token,
      token_type: 'Bearer',
      expires_in: issued.expires_in,
      // RFC 6749 §5.1: scope is REQUIRED when it differs from what was requested; always sent here.
      scope,
      refresh_token,
    };
  };
}
