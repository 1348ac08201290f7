/**
 * Resource Indicators (RFC 8707): the client names the resource server the token is for, and
 * the token's audience is restricted to it.
 *
 * - MCP 2025-11-25, Resource Parameter Implementation: the `resource` parameter "MUST be included
 *   in both authorization requests and token requests", with the MCP server's canonical URI.
 *   This AS therefore REQUIRES it on both requests (a client that omits it is not MCP-conformant).
 * - RFC 8707 §2: "an absolute URI", "MUST NOT include a fragment component"; an AS answers a
 *   resource that is "invalid, missing, unknown, or malformed" with `invalid_target`.
 * - RFC 8707 §2 allows several `resource` parameters; this AS issues single-audience tokens, so it
 *   accepts exactly one.
 */
import { OAuthError, resourceUriProblem } from '@mcp-auth-demo/common';

/**
 * RFC 3986 §6.2.2-6.2.3 normalisation for comparison only: lower-case scheme and host, default
 * port dropped, empty path = "/". The MCP spec asks servers to "accept uppercase scheme and host
 * components for robustness". The token's `aud` is always the configured spelling.
 */
function normalized(uri: string): string {
  return new URL(uri).href;
}

/**
 * Returns the configured canonical resource URI that the request's `resource` names, or throws
 * `invalid_target`.
 */
export function checkResource(params: URLSearchParams, resources: string[], dangerouslyDefaultAudience?: string): string {
  const values = params.getAll('resource').filter((value) => value !== '');
  // RFC 8707 §2 lets an AS apply a default; MCP clients MUST send resource. Only `pnpm serve --lenient` does this (config.ts).
  if (values.length === 0 && dangerouslyDefaultAudience !== undefined) return dangerouslyDefaultAudience;
  // MCP: resource "MUST be included in both authorization requests and token requests"; RFC 8707 §2: missing => invalid_target.
  if (values.length === 0) {
    throw new OAuthError('invalid_target', 'resource is required: the canonical URI of the MCP server (RFC 8707 §2; MCP).');
  }
  // This AS issues a token for one audience at a time (RFC 8707 §2 lets the AS decide).
  if (values.length > 1) {
    throw new OAuthError('invalid_target', 'Only one resource per request: tokens here have a single audience (RFC 8707 §2).');
  }
  const resource = values[0] as string;
  // RFC 8707 §2: "The value of the resource parameter MUST be an absolute URI" and "MUST NOT include a fragment component"
  // (resource-uri.ts in common: the same rule the configured list and pnpm serve --resource are held to).
  // The request's value is not echoed: error_description allows no `"` (RFC 6749 §5.2).
  if (resourceUriProblem(resource)) {
    throw new OAuthError('invalid_target', 'resource must be an absolute URI without a fragment (RFC 8707 §2).');
  }
  const known = resources.find((candidate) => normalized(candidate) === normalized(resource));
  // RFC 8707 §2: invalid_target when "the requested resource is ... unknown".
  if (known === undefined) {
    throw new OAuthError('invalid_target', `This authorization server issues no tokens for ${resource} (RFC 8707 §2).`);
  }
  return known;
}
