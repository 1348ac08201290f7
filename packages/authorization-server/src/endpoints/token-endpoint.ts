/**
 * The token endpoint. Common checks, then the grant:
 *
 *   readFormBody -> checkNoClientSecret -> checkGrantType -> the grant's own checks
 *
 * authorization_code (RFC 6749 §4.1.3, OAuth 2.1 §4.1.3), here:
 *   required parameters -> checkResource -> codes.redeem -> checkBinding -> verifyCodeVerifier
 *   -> mint the access token (and, for a client whose metadata lists the refresh_token grant,
 *   start a refresh token family: refresh-tokens.ts)
 * refresh_token (RFC 6749 §6, OAuth 2.1 §4.3): refresh-token-grant.ts.
 *
 * Every check before `codes.redeem` only reads the request, so a malformed request never touches
 * any code (its own or another client's). From `codes.redeem` on, the code is used up: one
 * attempt per code. A failed attempt (wrong verifier, wrong client) burns it: a decision of this
 * AS, which treats a code presented by the wrong party as compromised (RFC 6749 §10.5 asks that
 * codes be short-lived and single-use; nothing requires giving a second try).
 *
 * Errors: RFC 6749 §5.2 codes, status 400 (`invalid_client` 401), plus `invalid_target`
 * (RFC 8707). Every answer has `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1
 * requires them with tokens; this AS sends them with errors too). app.ts sets them on the route.
 */
import { OAuthError } from '@mcp-auth-demo/common';
import { shorten, type Emit } from '@mcp-auth-demo/trace';
import type { Context } from 'hono';
import type { AuthorizationGrant, CodeStore } from '../state/codes.ts';
import type { ResolvedConfig } from '../config.ts';
import { accessTokenTtlFor } from '../tokens/token-lifetimes.ts';
import { observedParams, rememberClient } from '../observations.ts';
import { readFormBody, requiredParameter } from '../request-rules.ts';
import { isWellFormedCodeVerifier, s256CodeChallenge, verifyCodeVerifier } from './pkce.ts';
import { checkResource } from '../tokens/resource-indicators.ts';
import { accessTokenClaims, signAccessToken } from '../tokens/access-token.ts';
import type { RevokedTokens } from '../state/revoked-tokens.ts';
import { createRefreshGrant, type RefreshGrantConfig } from './refresh-token-grant.ts';
import type { RefreshTokenStore } from '../state/refresh-tokens.ts';

/** The slice of the configuration this module reads. */
export type TokenEndpointConfig = Pick<ResolvedConfig, 'accessTokenTtlSeconds' | 'accessTokenTtlSecondsByResource' | 'dangerouslyDefaultAudience' | 'issuer' | 'maxRefreshFamilies' | 'now' | 'resources' | 'signingKey'> & RefreshGrantConfig;

export interface TokenDependencies {
  config: TokenEndpointConfig;
  codes: CodeStore;
  revoked: RevokedTokens;
  refreshTokens: RefreshTokenStore;
  emit: Emit;
}

/** The grants this endpoint serves (metadata.ts advertises the same list). */
export const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
type GrantType = (typeof GRANT_TYPES)[number];

/**
 * This AS has public clients only (token_endpoint_auth_methods_supported ["none"]). A client
 * that tries to authenticate anyway gets `invalid_client`; RFC 6749 §5.2: "If the client attempted
 * to authenticate via the Authorization request header field, the authorization server MUST
 * respond with an HTTP 401 ... and include the WWW-Authenticate response header field".
 */
function checkNoClientSecret(c: Context, params: URLSearchParams, issuer: string): void {
  const scheme = c.req.header('authorization')?.split(' ')[0];
  if (scheme) {
    throw new OAuthError('invalid_client', 'This server authenticates no clients: public clients only (token_endpoint_auth_method "none").', {
      status: 401,
      headers: { 'WWW-Authenticate': `${scheme} realm="${issuer}"` },
    });
  }
  if (params.has('client_secret') || params.has('client_assertion')) {
    throw new OAuthError('invalid_client', 'This server authenticates no clients: public clients only (token_endpoint_auth_method "none").', {
      status: 400,
    });
  }
}

function checkGrantType(params: URLSearchParams): GrantType {
  const grantType = requiredParameter(params, 'grant_type', 'RFC 6749 §4.1.3');
  // RFC 6749 §5.2: unsupported_grant_type when "the authorization grant type is not supported".
  if (!(GRANT_TYPES as readonly string[]).includes(grantType)) {
    throw new OAuthError('unsupported_grant_type', `grant_type "${grantType}" is not supported; use ${GRANT_TYPES.join(' or ')}.`);
  }
  return grantType as GrantType;
}

/** The code's bindings (OAuth 2.1 §4.1.3; RFC 8707 §2) against what the token request says. */
function checkBinding(grant: AuthorizationGrant, request: { client_id: string; redirect_uri: string; resource: string }): void {
  // OAuth 2.1 §4.1.3: "ensure that the authorization code was issued to the authenticated confidential client, or ... public client".
  if (request.client_id !== grant.client_id) {
    throw new OAuthError('invalid_grant', 'The code was issued to another client.');
  }
  // RFC 6749 §4.1.3: redirect_uri must be "identical" to the one in the authorization request.
  if (request.redirect_uri !== grant.redirect_uri) {
    throw new OAuthError('invalid_grant', 'redirect_uri differs from the one in the authorization request (RFC 6749 §4.1.3).');
  }
  // RFC 8707 §2: a token for a resource the grant does not cover is invalid_target.
  if (request.resource !== grant.resource) {
    throw new OAuthError('invalid_target', `The code was issued for ${grant.resource}, not ${request.resource} (RFC 8707 §2).`);
  }
}

export function createTokenHandler(deps: TokenDependencies) {
  const { config, codes, revoked, refreshTokens, emit } = deps;
  const refresh = createRefreshGrant({ config, refreshTokens, revoked, emit });

  async function authorizationCode(params: URLSearchParams): Promise<Record<string, unknown>> {
    // RFC 6749 §4.1.3 and OAuth 2.1 §4.1.3: code, redirect_uri, client_id (public client), code_verifier.
    const code = requiredParameter(params, 'code', 'RFC 6749 §4.1.3');
    const redirect_uri = requiredParameter(params, 'redirect_uri', 'RFC 6749 §4.1.3');
    const client_id = requiredParameter(params, 'client_id', 'a public client identifies itself, RFC 6749 §4.1.3');
    const code_verifier = requiredParameter(params, 'code_verifier', 'RFC 7636 §4.5');
    // RFC 7636 §4.1: 43-128 unreserved characters; a malformed verifier is a malformed request.
    if (!isWellFormedCodeVerifier(code_verifier)) {
      throw new OAuthError('invalid_request', 'code_verifier must be 43-128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1).');
    }
    const resource = checkResource(params, config.resources, config.dangerouslyDefaultAudience);

    // From here on the code is consumed: a single attempt per code.
    const redemption = codes.redeem(code);
    if (redemption.outcome === 'replayed') {
      // RFC 6749 §4.1.2: the AS "SHOULD revoke (when possible) all tokens previously issued based on that authorization code".
      for (const { jti, expiresAtMs, aud } of redemption.products.tokens) revoked.revoke(jti, expiresAtMs, aud);
      // ... the refresh token family it started included, with every access token that family issued.
      const fromFamily = redemption.products.family === undefined ? 0 : refreshTokens.revokeFamily(redemption.products.family);
      emit('code.replayed', {
        client_id: redemption.client_id,
        revoked_tokens: redemption.products.tokens.length + fromFamily,
        spec: `RFC 6749 §4.1.2: deny, and revoke the tokens issued from this code${redemption.products.family === undefined ? '' : ' (its refresh token family too)'}`,
      });
      throw new OAuthError('invalid_grant', 'The code was already used; the tokens issued from it are revoked (RFC 6749 §4.1.2).');
    }
    // RFC 6749 §5.2: invalid_grant when the code "is invalid, expired, revoked".
    if (redemption.outcome === 'unknown') throw new OAuthError('invalid_grant', 'Unknown code.');
    const grant = redemption.grant;
    checkBinding(grant, { client_id, redirect_uri, resource });
    // RFC 7636 §4.6: "If the values are not equal, an error response indicating "invalid_grant" ... MUST be returned."
    const pkce = {
      client_id: grant.client_id,
      code_verifier: shorten(code_verifier),
      computed_challenge: s256CodeChallenge(code_verifier),
      stored_challenge: grant.code_challenge,
      spec: 'RFC 7636 §4.6',
    };
    if (!verifyCodeVerifier(code_verifier, grant.code_challenge)) {
      emit('pkce.failed', pkce);
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge (RFC 7636 §4.6).');
    }
    emit('pkce.verified', pkce);

    const claims = accessTokenClaims(grant, { issuer: config.issuer, ttlSeconds: accessTokenTtlFor(config, grant.resource), nowMs: config.now() });
    const token = { jti: claims.jti, expiresAtMs: claims.exp * 1000, aud: claims.aud };
    // SEP-2207 / RFC 7591 §2: a client asks for refresh tokens by listing the refresh_token grant.
    const family = grant.refresh ? refreshTokens.start({ client_id, sub: grant.sub, scope: grant.scope, resource: grant.resource }) : undefined;
    if (family) refreshTokens.recordAccessToken(family.family, token);
    // Recorded BEFORE signing (an await): a replay of this code that arrives while the token is
    // being signed finds it and revokes it, instead of a token that escapes the revocation.
    codes.recordProducts(code, { token, ...(family && { family: family.family }) });
    const issued = await signAccessToken(claims, await config.signingKey);
    // RFC 6749 §4.1.2: a code used twice, at the same moment, is a replay too; the replay revoked this token.
    if (revoked.isRevoked(claims.jti)) {
      throw new OAuthError('invalid_grant', 'The code was presented again while this token was being issued; the tokens issued from it are revoked (RFC 6749 §4.1.2).');
    }
    const refreshNote = family
      ? '; with a refresh token (rotated on every use, OAuth 2.1 §4.3.1)'
      : grant.refresh
        ? `; no refresh token: ${config.maxRefreshFamilies} refresh token families already live`
        : '';
    emit('token.issued', {
      client_id: grant.client_id,
      claims: issued.claims,
      expires_in: issued.expires_in,
      code_challenge: grant.code_challenge,
      ...(family && { family: family.family }),
      spec: `RFC 9068 (JWT access token); aud = resource, RFC 8707${refreshNote}`,
    });
    // RFC 6749 §5.1: access_token, token_type, expires_in, scope (and refresh_token when issued).
    return {
      access_token: issued.access_token,
      token_type: 'Bearer',
      expires_in: issued.expires_in,
      scope: grant.scope,
      ...(family && { refresh_token: family.refresh_token }),
    };
  }

  return async function token(c: Context): Promise<Response> {
    // RFC 6749 §4.1.3: parameters "using the application/x-www-form-urlencoded format".
    const params = await readFormBody(c, 'The token request must be application/x-www-form-urlencoded (RFC 6749 §4.1.3), not JSON or anything else.');
    rememberClient(c.req.raw, params.get('client_id'));
    emit('token.requested', { client_id: params.get('client_id') ?? undefined, grant_type: params.get('grant_type') ?? '', params: observedParams(params) });
    checkNoClientSecret(c, params, config.issuer);
    const grantType = checkGrantType(params);
    return c.json(grantType === 'refresh_token' ? await refresh(params) : await authorizationCode(params));
  };
}
