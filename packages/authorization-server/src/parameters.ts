/**
 * Reading OAuth request parameters (RFC 6749 §3.1 and §3.2, the same rules for both endpoints):
 * "Parameters sent without a value MUST be treated as if they were omitted from the request" and
 * "Request and response parameters MUST NOT be included more than once."
 */
import { OAuthError } from '@mcp-auth-demo/common';

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
