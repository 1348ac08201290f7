/**
 * Bearer tokens on the wire (RFC 6750) as MCP allows them, and the challenges this server sends.
 *
 * - RFC 6750 §2.1: `Authorization: Bearer <b64token>`, the only method this server supports
 *   (MCP authorization 2025-11-25 "Token Requirements": the client "MUST use the Authorization
 *   request header field"; "Access tokens MUST NOT be included in the URI query string").
 * - RFC 6750 §2: "Clients MUST NOT use more than one method to transmit the token in each request."
 * - RFC 6750 §3: the `WWW-Authenticate: Bearer` challenge, with `scope`; RFC 9728 §5.1 adds
 *   `resource_metadata`, the URL of this server's Protected Resource Metadata.
 * - RFC 6750 §3.1: the error codes and their statuses: `invalid_request` 400 (malformed, or more
 *   than one method), `invalid_token` 401, `insufficient_scope` 403; and no error code at all
 *   when the request carries no authentication information.
 *
 * Decisions (documented here because the RFC leaves them open):
 * - `Authorization: Basic …` (or any other scheme) counts as "no bearer token": 401 without an
 *   error code, so the client learns where to get one.
 * - `Bearer` with no token, a token that is not a b64token, two tokens in one header, or two
 *   Authorization headers (which arrive joined by a comma): 400 `invalid_request`.
 * - A token in the query string or in a form-encoded body: 400 `invalid_request`, even alongside
 *   a valid header, because a token that went into a URL has already leaked into logs.
 */
import { bearerCredentials, mediaType, OAuthError, type BearerChallenge } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import { decodeJwt } from 'jose';

/** Any value whose scheme is Bearer, well-formed or not. */
const BEARER_SCHEME = /^Bearer(?: |$)/i;

function invalidRequest(description: string): OAuthError {
  return new OAuthError('invalid_request', description);
}

function isFormEncoded(request: Request): boolean {
  return mediaType(request.headers.get('content-type')) === 'application/x-www-form-urlencoded';
}

/**
 * The bearer token of a request, from its headers and URL alone (the body is not read yet), or
 * `undefined` when it carries none. Throws 400 `invalid_request` for a token in the query
 * string, a form-encoded request without a bearer header, or a malformed header.
 */
export function extractBearerToken(request: Request): string | undefined {
  // MCP authorization "Token Requirements": "Access tokens MUST NOT be included in the URI query string".
  if (new URL(request.url).searchParams.has('access_token')) {
    throw invalidRequest('Access tokens are accepted only in the Authorization header, never in the query string.');
  }

  const header = request.headers.get('authorization');
  // RFC 6750 §3.1: a request with no credentials, or with another scheme, has no bearer token.
  if (header === null || !BEARER_SCHEME.test(header)) {
    // RFC 6750 §2.2 (the form-encoded body parameter) is a method this server does not support,
    // and an MCP message is never form-encoded: refused without reading the body.
    if (isFormEncoded(request)) {
      throw invalidRequest('Access tokens are accepted only in the Authorization header; a form-encoded request is not an MCP request.');
    }
    return undefined;
  }

  // RFC 6750 §2.1 syntax (common's bearerCredentials).
  const token = bearerCredentials(header);
  // RFC 6750 §3.1 invalid_request: "... repeats the same parameter, uses more than one method
  // for including an access token, or is otherwise malformed".
  if (!token) {
    throw invalidRequest('The Authorization header must be exactly "Bearer <token>": one token, in b64token syntax.');
  }
  return token;
}

/**
 * RFC 6750 §3.1 invalid_request: a request that "uses more than one method for including an
 * access token": a form-encoded body with `access_token` beside the header. Run once the
 * authenticated caller's body has been read.
 */
export function rejectTokenInBody(request: Request, bodyText: string): void {
  if (isFormEncoded(request) && new URLSearchParams(bodyText).has('access_token')) {
    throw invalidRequest('Access tokens are accepted only in the Authorization header, never in the request body.');
  }
}

/**
 * Says, for the trace, that a token came in the query string (the request is refused by
 * `extractBearerToken` all the same), and whose it claims to be: read without verification,
 * only so that `pnpm serve` can tell that client what it did wrong.
 */
export function reportMisplacedToken(request: Request, emit: Emit): void {
  const token = new URL(request.url).searchParams.get('access_token');
  if (token === null) return;
  emit('token.misplaced', { via: 'query', client_id: claimedIdentity(token).client_id, spec: 'RFC 6750 §2.1; MCP "Token Requirements"' });
}

/**
 * Whose token it claims to be and for whom (`client_id`, `aud`), unverified: for the trace only,
 * never for a decision.
 */
export function claimedIdentity(token: string): { client_id?: string; aud?: string } {
  try {
    const { client_id, aud } = decodeJwt(token);
    const audience = Array.isArray(aud) ? aud.join(' ') : aud;
    return {
      ...(typeof client_id === 'string' ? { client_id: client_id.slice(0, 2048) } : {}),
      ...(typeof audience === 'string' ? { aud: audience.slice(0, 2048) } : {}),
    };
  } catch {
    return {};
  }
}

/** The answer to a request that carries no bearer token at all. */
export function missingTokenError(): OAuthError {
  // RFC 6750 §3.1: "If the request lacks any authentication information ..., the resource
  // server SHOULD NOT include an error code or other error information."
  return new OAuthError('invalid_token', 'This MCP server requires an OAuth access token (Authorization: Bearer).', {
    bearer: { withoutError: true },
  });
}

/** The errors that are answered with a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3.1). */
const CHALLENGED_ERRORS = new Set(['invalid_request', 'invalid_token', 'insufficient_scope']);

/**
 * Adds this server's challenge to an RFC 6750 error: `resource_metadata` (RFC 9728 §5.1) and
 * `scope` (RFC 6750 §3, the scopes the request needs). Anything else is returned unchanged.
 */
export function withBearerChallenge(thrown: unknown, challenge: BearerChallenge): unknown {
  if (!(thrown instanceof OAuthError) || !CHALLENGED_ERRORS.has(thrown.error)) return thrown;
  return thrown.withChallenge({ ...challenge, ...thrown.options.bearer });
}
