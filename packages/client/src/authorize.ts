/**
 * The authorization code grant with PKCE, as a client runs it (OAuth 2.1 §4.1, RFC 7636,
 * RFC 8707, RFC 9207), each exchange a pair: build the request, then process the response.
 *
 * The user agent (user-agent.ts) carries the authorization request: by default this client
 * reads the AS's redirect itself (headless); with a person's browser, a loopback listener
 * receives it (browser-callback.ts). Either way the redirect is checked here.
 */
import { shorten, type Emit } from '@mcp-auth-demo/trace';
import { decodeJwt } from 'jose';
import type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './discovery.ts';
import { generatePkce, generateState } from './pkce.ts';
import type { ClientCredentials } from './registration.ts';
import { describeResponse, readJsonObject, StepFailure } from './step-failure.ts';
import { readTokenResponse } from './wire-documents.ts';
import { errorInWords } from './authorization-errors.ts';
import { headlessUserAgent, withoutQuery, type AuthorizationOutcome, type UserAgent } from './user-agent.ts';
import type { Fetch } from './traced-fetch.ts';

export interface AuthorizationRequest {
  metadata: AuthorizationServerMetadata;
  client: ClientCredentials;
  redirectUri: string;
  /** RFC 8707: the MCP server's canonical URI; sent on both requests, the same value. */
  resource: string;
  /** Space-separated scopes, or undefined to omit the parameter. */
  scope: string | undefined;
}

/**
 * A request for the MCP server that discovery found. MCP 2025-11-25, "Resource Parameter
 * Implementation": the `resource` parameter "MUST be included in both authorization requests and
 * token requests" and "MUST identify the MCP server that the client intends to use the token
 * with"; RFC 8707 §2: an absolute URI. Its value is the PRM's `resource` (RFC 9728 §2), which
 * discovery.ts matched against the server (§3.3). Every request the journey makes (authorization,
 * refresh, contrasts) is built here, from the PRM handed on whole, so none can name another.
 */
export function forResource<T extends object>(prm: ProtectedResourceMetadata, fields: T): T & Pick<AuthorizationRequest, 'resource'> {
  return { ...fields, resource: prm.resource };
}

export interface TokenSet {
  access_token: string;
  /** The scopes the token carries: the response's `scope`, else what was asked for. */
  scopes: string[];
  expires_in?: number;
  /** A refresh token, when the AS issued one (the client's metadata lists the refresh_token grant). */
  refresh_token?: string;
}

export interface AuthorizeContext {
  fetch: Fetch;
  emit: Emit;
  /** Carries the authorization request to the AS and brings the redirect back (default: headless). */
  userAgent?: UserAgent;
}

export async function authorize(request: AuthorizationRequest, ctx: AuthorizeContext): Promise<TokenSet> {
  const pkce = generatePkce();
  const state = generateState();
  ctx.emit('pkce.generated', {
    code_verifier: shorten(pkce.code_verifier),
    code_challenge: pkce.code_challenge,
    code_challenge_method: 'S256',
    spec: 'RFC 7636 §4.1-4.2',
  });

  const params: Record<string, string> = {
    response_type: 'code',
    client_id: request.client.client_id,
    redirect_uri: request.redirectUri,
    code_challenge: pkce.code_challenge,
    code_challenge_method: 'S256',
    state,
    resource: request.resource,
    ...(request.scope !== undefined && { scope: request.scope }),
  };
  const url = new URL(request.metadata.authorization_endpoint);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  ctx.emit('authorization.requested', {
    authorization_endpoint: request.metadata.authorization_endpoint,
    params: { ...params, state: shorten(state) },
    spec: 'OAuth 2.1 §4.1.1, RFC 8707 §2',
  });

  const userAgent = ctx.userAgent ?? headlessUserAgent(ctx.fetch);
  const callback = await userAgent(url, request.redirectUri);
  try {
    const code = processAuthorizationResponse(callback, { ...request, state, userAgent: ctx.userAgent ? 'browser' : 'headless' }, ctx);
    const tokens = await requestToken({ ...request, code, code_verifier: pkce.code_verifier }, ctx);
    userAgent.finish?.({ ok: true, issuer: request.metadata.issuer, scopes: tokens.scopes });
    return tokens;
  } catch (error) {
    userAgent.finish?.(failureOutcome(error));
    throw error;
  }
}

function failureOutcome(error: unknown): AuthorizationOutcome {
  if (error instanceof AuthorizationError) {
    return { ok: false, error: error.error, ...(error.description && { error_description: error.description }), expected: error.expected, received: error.received };
  }
  if (error instanceof StepFailure) return { ok: false, expected: error.expected, received: error.received };
  return { ok: false, expected: 'the authorization to complete', received: error instanceof Error ? error.message : String(error) };
}

/** The AS answered the authorization request with an `error` (RFC 6749 §4.1.2.1), after the checks passed. */
export class AuthorizationError extends StepFailure {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
  ) {
    const words = errorInWords(error);
    super('an authorization code', `${error}${description ? ` (${JSON.stringify(description)})` : ''}: ${words.title.toLowerCase()}. ${words.meaning}`);
  }
}

/** Reads the redirect back to us: checks `state` and `iss`, surfaces an `error`, returns the code. */
function processAuthorizationResponse(
  callback: URL,
  expected: AuthorizationRequest & { state: string; userAgent: 'headless' | 'browser' },
  ctx: AuthorizeContext,
): string {
  const got = callback.searchParams;
  // OAuth 2.1 §4.1.2 / RFC 6749 §10.12: a response whose state is missing or different is discarded.
  const stateMatched = got.get('state') === expected.state;
  // RFC 9207 §2.4: if the AS advertises iss support, iss MUST be present; when present it must match.
  const iss = got.get('iss');
  const issRequired = expected.metadata.authorization_response_iss_parameter_supported === true;
  const issMatched = iss === null ? !issRequired : iss === expected.metadata.issuer;
  const code = got.get('code');
  ctx.emit('authorization.callback', {
    code: code ? shorten(code) : '(none)',
    state_matched: stateMatched,
    iss_matched: issMatched,
    user_agent: expected.userAgent,
    spec: 'RFC 6749 §4.1.2, RFC 9207 §2.4',
  });
  if (!stateMatched) throw new StepFailure('the state we sent (RFC 6749 §10.12)', `state=${got.get('state') ?? '(missing)'}`);
  if (!issMatched) throw new StepFailure(`iss=${expected.metadata.issuer} (RFC 9207)`, `iss=${iss ?? '(missing)'}`);
  const error = got.get('error');
  if (error) throw new AuthorizationError(error, got.get('error_description') ?? undefined);
  if (!code) throw new StepFailure('a code in the redirect', withoutQuery(callback));
  return code;
}

/** OAuth 2.1 §4.1.3: redeem the code with the PKCE verifier and the same `resource`. */
async function requestToken(
  request: AuthorizationRequest & { code: string; code_verifier: string },
  ctx: AuthorizeContext,
): Promise<TokenSet> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    code_verifier: request.code_verifier,
    resource: request.resource,
  });
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  addClientAuthentication(request.client, form, headers);
  const response = await ctx.fetch(request.metadata.token_endpoint, { method: 'POST', headers, body: form.toString() });
  return processTokenResponse(response, request, ctx);
}

/** How the client identifies itself at the token endpoint: its secret if it has one, else its client_id (public). */
export function addClientAuthentication(client: ClientCredentials, form: URLSearchParams, headers: Record<string, string>): void {
  if (client.token_endpoint_auth_method === 'client_secret_basic' && client.client_secret) {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined and base64-encoded.
    const pair = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', client.client_id);
    if (client.token_endpoint_auth_method === 'client_secret_post' && client.client_secret) {
      form.set('client_secret', client.client_secret);
    }
  }
}

export async function processTokenResponse(response: Response, request: AuthorizationRequest, ctx: AuthorizeContext): Promise<TokenSet> {
  if (response.status !== 200) {
    throw new StepFailure('200 with an access token (OAuth 2.1 §3.2.3)', await describeResponse(response));
  }
  const body = readTokenResponse(await readJsonObject(response, 'a token response'));
  const scope = body.scope ?? request.scope ?? '';
  const expires_in = body.expires_in;
  ctx.emit('token.received', {
    access_token: shorten(body.access_token, 12),
    claims: readClaimsForDisplay(body.access_token),
    ...(expires_in !== undefined && { expires_in }),
    spec: 'OAuth 2.1 §3.2.3, RFC 9068 §2.2',
  });
  const refresh_token = body.refresh_token;
  return {
    access_token: body.access_token,
    scopes: scope.split(' ').filter(Boolean),
    ...(expires_in !== undefined && { expires_in }),
    ...(refresh_token !== undefined && { refresh_token }),
  };
}

/**
 * The claims of a JWT access token, decoded WITHOUT verification, only to show them. To the
 * client an access token is opaque: the resource server verifies it, the client never trusts it.
 */
function readClaimsForDisplay(token: string) {
  try {
    const { iss, sub, aud, client_id, scope, exp, iat, jti } = decodeJwt(token);
    return {
      ...(iss && { iss }), ...(sub && { sub }), ...(aud && { aud }),
      ...(typeof client_id === 'string' && { client_id }), ...(typeof scope === 'string' && { scope }),
      ...(exp && { exp }), ...(iat && { iat }), ...(jti && { jti }),
    };
  } catch {
    return {};
  }
}
