/**
 * The request rules every endpoint of this authorization server shares, each written once:
 * - how a parameter is read (RFC 6749 §3.1 and §3.2, the same for every endpoint);
 * - a form body is `application/x-www-form-urlencoded` (each caller cites its own section);
 * - the syntax of `scope` (RFC 6749 §3.3);
 * - comparing a secret in constant time.
 */
import { mediaType, OAuthError, type OAuthErrorCode } from '@mcp-auth-demo/common';
import type { Context } from 'hono';
import { createHash, timingSafeEqual } from 'node:crypto';

/** The one value of `name`, or `undefined` when absent or empty. Repeated => `invalid_request`. */
export function singleParameter(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
  if (values.length > 1) throw new OAuthError('invalid_request', `${name} is repeated (RFC 6749 §3.1).`);
  // RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were omitted".
  return values[0] === '' ? undefined : values[0];
}

/** Like `singleParameter`, but a missing value is `invalid_request` too. */
export function requiredParameter(params: URLSearchParams, name: string, why = ''): string {
  const value = singleParameter(params, name);
  if (value === undefined) throw new OAuthError('invalid_request', `${name} is required${why ? ` (${why})` : ''}.`);
  return value;
}

/**
 * The parameters of a form post. Anything but `application/x-www-form-urlencoded` is refused
 * with `invalid_request` and `refusal`, which names the caller's rule (RFC 6749 §4.1.3 for the
 * token endpoint, RFC 7662 §2.1 for introspection, HTML forms for the consent page).
 */
export async function readFormBody(c: Context, refusal: string): Promise<URLSearchParams> {
  if (mediaType(c.req.header('content-type')) !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', refusal);
  }
  return new URLSearchParams(await c.req.text());
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * The scope-tokens of a `scope` value. RFC 6749 §3.3: scope = scope-token *( SP scope-token );
 * a malformed value is refused with `error` (`invalid_scope` at the authorization and token
 * endpoints, `invalid_client_metadata` at registration).
 */
export function scopeTokens(scope: string, error: OAuthErrorCode): string[] {
  const tokens = scope.split(' ');
  if (!tokens.every((token) => SCOPE_TOKEN.test(token))) {
    throw new OAuthError(error, 'scope is malformed: scope-tokens separated by single spaces (RFC 6749 §3.3).');
  }
  return tokens;
}

/**
 * Compares a secret in constant time: both sides are hashed first, so `timingSafeEqual` compares
 * equal lengths and the time taken says nothing about the secret, not even its length.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
