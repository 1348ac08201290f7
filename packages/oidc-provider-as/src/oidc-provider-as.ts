/**
 * panva's oidc-provider (9.x, a certified OpenID Provider) as the demo's authorization server,
 * for `pnpm demo --as oidc-provider`: the same journey against a production-grade third-party AS.
 * Its decisions are its own; this module only configures it for the MCP server:
 *
 * - RFC 8707 resource indicators: the one resource is the MCP server's canonical URI; a token
 *   for it is an RFC 9068 JWT (`typ: at+jwt`, RS256) whose `aud` is that URI and whose scopes are
 *   those the RS defines (`mcp:connect`, `weather:read`). Any other `resource` is `invalid_target`.
 * - PKCE (S256) required for every client (OAuth 2.1 §4.1.1; MCP authorization).
 * - Registration: RFC 7591 Dynamic Client Registration. oidc-provider 9.13 has experimental
 *   Client ID Metadata Document support (draft-02), but it accepts only https client_id URLs, and
 *   the demo's client host is plain http on loopback; so the client registers dynamically (its
 *   trace says why: the AS metadata has no `client_id_metadata_document_supported`).
 * - DEMO DEVIATION (like our own AS's auto-approved consent, and as narrow): the interaction
 *   (login + consent) is answered by `autoApprove` below for one fixed subject, and ONLY when the
 *   redirect URI is on a loopback host, so a code can never be auto-approved off this machine.
 * - Keys: a fresh RS256 key per start (no persistence), cookie keys random per start; the
 *   in-memory adapter (oidc-provider's own development store): state lives as long as the process.
 *
 * Not used here: its RFC 7662 introspection. oidc-provider refuses to introspect its structured
 * (JWT) access tokens, so the RS checks them locally, without the revocation check.
 */
import { DEMO_SUBJECT, isLoopbackHost, SCOPES } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import { exportJWK, generateKeyPair } from 'jose';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import Provider, { errors, type InteractionDetails } from 'oidc-provider';

export interface OidcProviderAsConfig {
  /** The issuer URL (http only on a loopback host: the demo's deviation). */
  issuer: string;
  /** The MCP server's canonical resource URI: the one `resource` tokens are issued for. */
  resource: string;
  /** Our own trace events (only for what this module decides: the auto-approval). */
  emit: Emit;
  /** Access token lifetime in seconds (default 600, as our own AS). */
  accessTokenTtlSeconds?: number;
}

/** Where the interaction (login + consent) of an authorization request is sent. */
const INTERACTION_PATH = '/interaction/';

async function signingJwks(): Promise<{ keys: Record<string, unknown>[] }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: randomBytes(8).toString('hex') }] };
}

/** Builds the provider and the Node request listener that serves it (interaction included). */
export async function createOidcProviderAs(config: OidcProviderAsConfig): Promise<RequestListener> {
  const { issuer, resource, emit } = config;
  const ttl = config.accessTokenTtlSeconds ?? 600;
  const provider = new Provider(issuer, {
    clients: [],
    jwks: await signingJwks(),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // `offline_access` makes oidc-provider accept the refresh_token grant (a client registering
    // with grant_types [authorization_code, refresh_token]); it issues refresh tokens only when asked.
    scopes: ['openid', 'offline_access', SCOPES.connect, SCOPES.weatherRead],
    // OAuth 2.1 §4.1.1 / MCP authorization: PKCE for every client, S256 only (the default method list).
    pkce: { required: () => true },
    ttl: { AccessToken: ttl, AuthorizationCode: 60, Interaction: 300, Session: 600, Grant: 600 },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${INTERACTION_PATH}${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      // RFC 7591: public clients register themselves (the demo client's fallback when CIMD is absent).
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        // RFC 8707 §2 + RFC 9068: one resource server, JWT access tokens with aud = its URI.
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`tokens are issued for ${resource} only`);
          return {
            scope: `${SCOPES.connect} ${SCOPES.weatherRead}`,
            audience: resource,
            accessTokenTTL: ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });
  const serve = provider.callback();

  /** DEMO DEVIATION: approve login and consent at once, for loopback redirect URIs only. */
  async function autoApprove(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details: InteractionDetails = await provider.interactionDetails(req, res);
    const { params, prompt } = details;
    const redirectHost = new URL(params.redirect_uri).hostname;
    if (!isLoopbackHost(redirectHost)) {
      // Anything that could send the code off this machine needs a person; there is none here.
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'auto-approval is for loopback redirect URIs only' });
      return;
    }
    // oidc-provider asks twice: first who the user is (login), then what they allow (consent).
    if (prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: DEMO_SUBJECT } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const approved = grant ?? new provider.Grant({ accountId: DEMO_SUBJECT, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) approved.addOIDCScope(missing.missingOIDCScope.join(' '));
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) approved.addResourceScope(indicator, scopes.join(' '));
    const grantId = await approved.save();
    emit('consent.auto_approved', {
      client_id: params.client_id,
      client_host: params.client_id,
      redirect_host: redirectHost,
      redirect_elsewhere: false, // oidc-provider's clients here are pre-configured, not CIMD
      sub: DEMO_SUBJECT,
      scope: params.scope ?? '',
      loopback_redirects_only: true,
      spec: 'DEMO DEVIATION: oidc-provider consent answered without a person (loopback redirect URIs only)',
    });
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  return (req, res) => {
    if (req.method === 'GET' && req.url?.startsWith(INTERACTION_PATH)) {
      autoApprove(req, res).catch(() => {
        // An interaction that cannot be found (expired, replayed) is the provider's 400, never a stack trace.
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_request', error_description: 'unknown or expired interaction' }));
      });
      return;
    }
    serve(req, res);
  };
}
