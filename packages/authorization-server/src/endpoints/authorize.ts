/**
 * The authorization endpoint (RFC 6749 §4.1.1, OAuth 2.1 §4.1.1), as an ordered list of checks:
 *
 *   checkClient -> checkRedirectUri -> checkResponseType -> checkPkce -> checkResource -> checkScope
 *
 * RFC 6749 §4.1.2.1: "If the request fails due to a missing, invalid, or mismatching redirection
 * URI, or if the client identifier is missing or invalid, the authorization server SHOULD inform
 * the resource owner of the error and MUST NOT automatically redirect the user-agent to the
 * invalid redirection URI." So the first two checks throw errors that are SHOWN (400). A later
 * error is sent back to the validated redirect URI with `error`, `state` and `iss` (RFC 9207),
 * but only once someone is signed in (RFC 9700 §4.11.2, `mayRedirectErrors`); else it is shown
 * too. Then consent (consent.ts): a person is asked (consent-interaction.ts), or a
 * loopback request is auto-approved (headless: a named deviation), or, headless with a redirect
 * URI that is not loopback, the request is refused with `access_denied`. Approved: a code.
 */
import { declaredContrast, isLoopbackHost, OAuthError, toOAuthError, type ErrorRedirect } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { Context } from 'hono';
import type { Client, ResolveClient } from '../clients/resolve-client.ts';
import type { CodeStore } from '../state/codes.ts';
import type { ResolvedConfig } from '../config.ts';
import { respondWithCode, type AuthorizationResponseConfig } from './authorization-response.ts';
import { dangerouslyAutoApproveLoopback, refuseWithoutPerson, routeConsent } from './consent.ts';
import type { ConsentInteraction } from './consent-interaction.ts';
import { requiredParameter, singleParameter, scopeTokens } from '../request-rules.ts';
import { observedParams, rememberClient } from '../observations.ts';
import { checkCodeChallenge } from './pkce.ts';
import { abbreviated, matchRedirectUri, MAX_URI_LENGTH } from '../clients/redirect-uri.ts';
import { checkResource } from '../tokens/resource-indicators.ts';

/** The slice of the configuration this module reads. */
export type AuthorizeConfig = Pick<ResolvedConfig, 'dangerouslyDefaultAudience' | 'defaultScope' | 'interactive' | 'issuer' | 'resources' | 'scopesSupported' | 'subject'> & AuthorizationResponseConfig;

export interface AuthorizeDependencies {
  config: AuthorizeConfig;
  resolveClient: ResolveClient;
  codes: CodeStore;
  interaction: ConsentInteraction;
  emit: Emit;
}

/** Shown error: client_id and redirect_uri are stored with every code, so their length is bounded. */
function checkLength(name: string, value: string): void {
  if (value.length > MAX_URI_LENGTH) {
    throw new OAuthError('invalid_request', `${name} is longer than ${MAX_URI_LENGTH} characters, this server's bound on stored values.`);
  }
}

/** Shown error: the client_id is missing, or no usable client metadata stands behind it. */
async function checkClient(params: URLSearchParams, resolveClient: ResolveClient): Promise<Client> {
  // RFC 6749 §4.1.1: client_id is REQUIRED.
  const clientId = requiredParameter(params, 'client_id', 'RFC 6749 §4.1.1');
  // Stored with every code: bounded before anything (a fetch included) happens.
  checkLength('client_id', clientId);
  return resolveClient(clientId);
}

/** Shown error: the redirect URI is missing or is not one the client registered. */
function checkRedirectUri(params: URLSearchParams, client: Client): string {
  // Required here, even though OAuth 2.1 makes it optional with one registered URI: the demo's
  // token request always repeats it, and an explicit value is what a learner should see.
  const requested = requiredParameter(params, 'redirect_uri', 'this server requires it on every request');
  // Stored with every code, echoed in the Location header: bounded (codes.ts).
  checkLength('redirect_uri', requested);
  // RFC 9700 §2.1: "MUST utilize exact string matching except for port numbers in localhost redirection URIs".
  const matched = matchRedirectUri(requested, client.redirect_uris);
  if (matched === undefined) {
    throw new OAuthError(
      'invalid_request',
      `redirect_uri ${abbreviated(requested)} is not registered for this client; registered: ${client.redirect_uris.join(', ')} (exact match, RFC 9700 §2.1).`,
    );
  }
  return matched;
}

function checkResponseType(params: URLSearchParams): void {
  // RFC 6749 §4.1.1: response_type is REQUIRED.
  const responseType = requiredParameter(params, 'response_type', 'RFC 6749 §4.1.1');
  // OAuth 2.1 §4.1.1: "code" is the only response type (implicit "token" was removed).
  if (responseType !== 'code') {
    throw new OAuthError('unsupported_response_type', `response_type "${responseType}" is not supported; use "code".`);
  }
}

function checkPkce(params: URLSearchParams): string {
  return checkCodeChallenge(singleParameter(params, 'code_challenge'), singleParameter(params, 'code_challenge_method'));
}

/**
 * RFC 6749 §3.3: "If the client omits the scope parameter when requesting authorization, the
 * authorization server MUST either process the request using a pre-defined default value or fail
 * the request indicating an invalid scope." This AS grants `config.defaultScope` (the base scope).
 */
function checkScope(params: URLSearchParams, config: AuthorizeConfig): string {
  const requested = singleParameter(params, 'scope');
  if (requested === undefined) return config.defaultScope;
  // RFC 6749 §3.3: scope = scope-token *( SP scope-token ).
  const scopes = scopeTokens(requested, 'invalid_scope');
  const unknown = scopes.filter((scope) => !config.scopesSupported.includes(scope));
  // RFC 6749 §4.1.2.1: invalid_scope when "the requested scope is invalid, unknown, or malformed".
  if (unknown.length > 0) {
    throw new OAuthError('invalid_scope', `Unknown scope: ${unknown.join(' ')}; supported: ${config.scopesSupported.join(' ')}.`);
  }
  return [...new Set(scopes)].join(' ');
}

/**
 * RFC 9700 §4.11.2, the authorization server as open redirector: a registered redirect URI can
 * be an attacker's phishing page (anyone can register a client by RFC 7591 or host a CIMD
 * document), and a deliberately broken request would make this AS's error redirect deliver the
 * user there, under this AS's trusted URL. "The authorization server MUST always authenticate
 * the user first ... before redirecting the user." So an error goes to the redirect URI only when
 * someone is authenticated: a person with a live sign-in session (--interactive), or, headless,
 * the demo user, whom the auto-approval deviation (consent.ts) stands for on loopback redirect
 * URIs only. Anyone else sees the error on this server's page, as for the §4.1.2.1 errors.
 */
function mayRedirectErrors(c: Context, redirectUri: string, config: AuthorizeConfig, interaction: ConsentInteraction): boolean {
  if (config.interactive) return interaction.signedInSubject(c) !== undefined;
  return isLoopbackHost(new URL(redirectUri).hostname);
}

/** `state` to echo on an error redirect, when it can be read unambiguously. */
function stateForRedirect(params: URLSearchParams): string | undefined {
  const values = params.getAll('state');
  return values.length === 1 && values[0] !== '' ? values[0] : undefined;
}

export function createAuthorizeHandler({ config, resolveClient, codes, interaction, emit }: AuthorizeDependencies) {
  return async function authorize(c: Context): Promise<Response> {
    const params = new URL(c.req.url).searchParams;
    const named = params.get('client_id');
    if (named) {
      rememberClient(c.req.raw, named);
      const contrast = declaredContrast(c.req.raw.headers);
      emit('authorization.received', { client_id: named, params: observedParams(params), ...(contrast && { contrast }) });
    }

    // Errors thrown here are SHOWN to the user, never redirected (RFC 6749 §4.1.2.1).
    const client = await checkClient(params, resolveClient);
    const redirect_uri = checkRedirectUri(params, client);

    // From here on, errors go back to the client (RFC 6749 §4.1.2.1) with `iss` (RFC 9207 §2).
    const back: ErrorRedirect = { redirect_uri, state: stateForRedirect(params), iss: config.issuer };
    try {
      // RFC 6749 §4.1.1: state is RECOMMENDED; when sent, it is echoed unchanged.
      const state = singleParameter(params, 'state');
      checkResponseType(params);
      const code_challenge = checkPkce(params);
      const resource = checkResource(params, config.resources, config.dangerouslyDefaultAudience);
      const scope = checkScope(params, config);

      const request = { client, redirect_uri, code_challenge, scope, resource, ...(state !== undefined && { state }) };

      switch (routeConsent(redirect_uri, config.interactive)) {
        case 'ask-the-person':
          return interaction.begin(c, request);
        case 'auto-approve-loopback':
          dangerouslyAutoApproveLoopback(client, redirect_uri, scope, config.subject, emit);
          return respondWithCode(request, config.subject, { config, codes, emit });
        case 'refuse':
          return refuseWithoutPerson(client, redirect_uri, emit);
      }
    } catch (error) {
      // Unexpected errors too: RFC 6749 §4.1.2.1 server_error exists because a 500 cannot be redirected.
      const refusal = toOAuthError(error);
      // RFC 9700 §4.11.2: no redirect before the user is authenticated; shown instead.
      throw mayRedirectErrors(c, redirect_uri, config, interaction) ? refusal.redirectTo(back) : refusal;
    }
  };
}
