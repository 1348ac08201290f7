/**
 * The one error type of the project, and the one place that turns it into an HTTP answer.
 *
 * - RFC 6749 §5.2 (token endpoint errors) and §4.1.2.1 (authorization errors by redirect)
 * - RFC 8707 §2 (`invalid_target`)
 * - RFC 6750 §3 and §3.1 (the `WWW-Authenticate: Bearer` challenge of a resource server)
 * - RFC 9728 §5.1 (`resource_metadata` in that challenge)
 * - RFC 7591 §3.2.2 (registration errors)
 * - RFC 9207 (`iss` on an authorization response, errors included)
 * - RFC 8935 §2.3-2.4 (a Security Event Token receiver's 400 `{ "err", "description" }`)
 *
 * Every party throws `OAuthError`; every app answers with `oauthErrorResponse()`. Anything else
 * that is thrown becomes a 500 `server_error` whose body says nothing about the cause: no stack
 * trace, no message, ever reaches the wire.
 *
 * The same type also carries the few HTTP failures that are not OAuth errors (`HttpErrorCode`:
 * a foreign `Origin`, a method not allowed, a body too large, nothing at a path), so a server
 * still has ONE error type and ONE renderer. On an MCP endpoint those are answered as a JSON-RPC
 * error without `id` (`jsonRpc`), the shape MCP transports (Streamable HTTP) allow and the MCP
 * SDK uses for the same situations.
 */

export type OAuthErrorCode =
  // RFC 6749 §4.1.2.1 and §5.2
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  // RFC 8707 §2
  | 'invalid_target'
  // RFC 6750 §3.1
  | 'invalid_token'
  | 'insufficient_scope'
  // RFC 7591 §3.2.2
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata';

import type { SecurityEventErrorCode } from './security-event.ts';

/** HTTP failures that are not OAuth errors: no token could fix them, so no challenge is sent. */
export type HttpErrorCode =
  | 'forbidden_origin' // 403: MCP transports, DNS-rebinding protection
  | 'method_not_allowed' // 405: RFC 9110 §15.5.6
  | 'payload_too_large' // 413: RFC 9110 §15.5.14
  | 'not_found'; // 404: RFC 9110 §15.5.5

/**
 * JSON-RPC 2.0 §5.1: -32000 is "server error" in the implementation-defined range; the MCP SDK's
 * transport answers its own transport-level refusals with it, so a client sees one format.
 */
export const JSON_RPC_TRANSPORT_ERROR = -32000;

/** The parameters of a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  /** URL of the Protected Resource Metadata document (RFC 9728 §5.1). */
  resource_metadata?: string;
  /** Space-separated scopes the request needs (RFC 6750 §3). */
  scope?: string;
  /**
   * RFC 6750 §3.1: "If the request lacks any authentication information ... the resource server
   * SHOULD NOT include an error code or other error information." Set when no token was sent.
   */
  withoutError?: boolean;
}

/** Where an authorization-endpoint error goes back to the client (RFC 6749 §4.1.2.1). */
export interface ErrorRedirect {
  /** The client's registered, already validated redirect URI. */
  redirect_uri: string;
  state?: string;
  /** RFC 9207: the issuer identifier, so the client can detect mix-up attacks. */
  iss?: string;
}

export interface OAuthErrorOptions {
  /** HTTP status; defaults to the one the spec gives the code (400, 401, 403, 500, 503). */
  status?: number;
  /** Resource servers: the challenge to send in `WWW-Authenticate`. */
  bearer?: BearerChallenge;
  /** Authorization endpoint: redirect the error to the client instead of showing it. */
  redirect?: ErrorRedirect;
  /** Extra headers for this error (for example `Allow: POST`). */
  headers?: Record<string, string>;
  /**
   * MCP transports (Streamable HTTP): the body "MAY comprise a JSON-RPC error response that has
   * no `id`". Set for transport errors of an MCP endpoint: the body becomes
   * `{ jsonrpc: "2.0", error: { code: -32000, message }, id: null }` (JSON-RPC 2.0 §5: `id` is
   * null when it cannot be known).
   */
  jsonRpc?: boolean;
  /**
   * RFC 8935 §2.3: a SET receiver refuses a SET with 400 and a JSON body `{ "err", "description" }`
   * (not RFC 6749's `error` / `error_description`). Set by the resource server's SET receiver.
   */
  securityEvent?: boolean;
}

const DEFAULT_STATUS: Partial<Record<OAuthErrorCode | HttpErrorCode | SecurityEventErrorCode, number>> = {
  invalid_client: 401, // RFC 6749 §5.2: 401 when the client authenticated via a header
  invalid_token: 401, // RFC 6750 §3.1
  insufficient_scope: 403, // RFC 6750 §3.1
  server_error: 500,
  temporarily_unavailable: 503,
  forbidden_origin: 403,
  method_not_allowed: 405,
  payload_too_large: 413,
  not_found: 404,
};

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly error: OAuthErrorCode | HttpErrorCode | SecurityEventErrorCode;
  readonly status: number;
  readonly options: OAuthErrorOptions;

  constructor(error: OAuthErrorCode | HttpErrorCode | SecurityEventErrorCode, description: string, options: OAuthErrorOptions = {}) {
    super(description);
    this.error = error;
    this.status = options.status ?? DEFAULT_STATUS[error] ?? 400;
    this.options = options;
  }

  /** The human-readable `error_description`. */
  get description(): string {
    return this.message;
  }

  /** The same error, sent back to the client's redirect URI (RFC 6749 §4.1.2.1). */
  redirectTo(redirect: ErrorRedirect): OAuthError {
    return new OAuthError(this.error, this.message, { ...this.options, redirect });
  }

  /** The same error, answered with a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3). */
  withChallenge(bearer: BearerChallenge): OAuthError {
    return new OAuthError(this.error, this.message, { ...this.options, bearer });
  }
}

/** Anything thrown that is not an `OAuthError` becomes this; its cause never reaches the wire. */
export function toOAuthError(thrown: unknown): OAuthError {
  if (thrown instanceof OAuthError) return thrown;
  return new OAuthError('server_error', 'The server could not complete the request.');
}

/**
 * RFC 6750 §3: `error_description` and the other values are quoted-strings whose characters are
 * limited to %x20-21 / %x23-5B / %x5D-7E; anything else is dropped so a header is always valid.
 */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '')}"`;
}

/** Builds the value of `WWW-Authenticate` for a Bearer challenge. */
export function formatBearerChallenge(error: OAuthError, bearer: BearerChallenge): string {
  const params: [string, string][] = [];
  if (!bearer.withoutError) {
    params.push(['error', error.error], ['error_description', error.description]);
  }
  if (bearer.scope) params.push(['scope', bearer.scope]);
  if (bearer.resource_metadata) params.push(['resource_metadata', bearer.resource_metadata]);
  return `Bearer ${params.map(([k, v]) => `${k}=${quoted(v)}`).join(', ')}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export interface ErrorResponseOptions {
  /** Render the error as a small HTML page (a person's browser) instead of JSON. */
  html?: boolean;
}

/**
 * The one mapping from an error to an HTTP response.
 * - redirect errors: 302 to the client's redirect URI with `error`, `error_description`,
 *   `state` and `iss` (RFC 6749 §4.1.2.1, RFC 9207 §2);
 * - bearer errors: the status plus `WWW-Authenticate` (RFC 6750 §3);
 * - MCP transport errors (`jsonRpc`): a JSON-RPC error without `id`;
 * - everything else: JSON `{ error, error_description }` (RFC 6749 §5.2) with `no-store`.
 */
export function oauthErrorResponse(thrown: unknown, options: ErrorResponseOptions = {}): Response {
  const err = toOAuthError(thrown);
  const headers = new Headers({ 'Cache-Control': 'no-store', ...err.options.headers });

  const redirect = err.options.redirect;
  if (redirect) {
    const location = new URL(redirect.redirect_uri);
    location.searchParams.set('error', err.error);
    location.searchParams.set('error_description', err.description);
    if (redirect.state !== undefined) location.searchParams.set('state', redirect.state);
    if (redirect.iss !== undefined) location.searchParams.set('iss', redirect.iss);
    headers.set('Location', location.href);
    return new Response(null, { status: 302, headers });
  }

  const bearer = err.options.bearer;
  if (bearer) headers.set('WWW-Authenticate', formatBearerChallenge(err, bearer));

  if (options.html) {
    headers.set('Content-Type', 'text/html; charset=utf-8');
    const body =
      `<!doctype html><title>${escapeHtml(err.error)}</title>` +
      `<h1>Authorization error: ${escapeHtml(err.error)}</h1><p>${escapeHtml(err.description)}</p>`;
    return new Response(body, { status: err.status, headers });
  }

  headers.set('Content-Type', 'application/json');
  if (err.options.jsonRpc) {
    const body = { jsonrpc: '2.0', error: { code: JSON_RPC_TRANSPORT_ERROR, message: err.description }, id: null };
    return new Response(JSON.stringify(body), { status: err.status, headers });
  }
  // RFC 8935 §2.3: "err" and "description".
  if (err.options.securityEvent) return new Response(JSON.stringify({ err: err.error, description: err.description }), { status: err.status, headers });
  const body = bearer?.withoutError
    ? { error_description: err.description }
    : { error: err.error, error_description: err.description };
  return new Response(JSON.stringify(body), { status: err.status, headers });
}

/** What the `request.rejected` trace event says about an error answer (built from that answer). */
export interface Rejection {
  method: string;
  path: string;
  status: number;
  error: string;
  error_description: string;
  www_authenticate?: string;
  location?: string;
  /** The client the request named, when the server knew it (for per-client verdicts). */
  client_id?: string;
  /** The lab client's own attack, declared by its CONTRAST_HEADER: shown as such, never graded. */
  contrast?: string;
}

/**
 * The header on each request of a contrast (the lab client's deliberate attack beside a step,
 * packages/client/src/contrasts.ts), naming it. It changes nothing a server decides; the
 * client verdicts use it to tell the client's demonstration from its own flow: an
 * authorization request is unauthenticated, so without it a refused attack made in the
 * client's name would be graded as the client's mistake.
 */
export const CONTRAST_HEADER = 'MCP-Auth-Demo-Contrast';

/** The contrast a request declares (CONTRAST_HEADER), bounded; undefined for an ordinary request. */
export function declaredContrast(headers: Headers | undefined): string | undefined {
  return headers?.get(CONTRAST_HEADER)?.slice(0, 40) || undefined;
}

/** Describes an answer made by `oauthErrorResponse`, for the trace, from what actually went out. */
export function describeRejection(request: Pick<Request, 'method' | 'url'> & { headers?: Headers }, thrown: unknown, response: Response): Rejection {
  const err = toOAuthError(thrown);
  const location = response.headers.get('location');
  const challenge = response.headers.get('www-authenticate');
  const contrast = declaredContrast(request.headers);
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
    // RFC 6750 §3.1: a request without a token gets a challenge without an error code.
    error: err.options.bearer?.withoutError ? '(no error code)' : err.error,
    error_description: err.description,
    ...(location ? { location } : {}),
    ...(challenge ? { www_authenticate: challenge } : {}),
    ...(contrast ? { contrast } : {}),
  };
}
