/**
 * Where metadata documents live, computed once for every party (the AS and RS serve them, the
 * client and the RS look them up), so a server and its clients can never disagree on a URL.
 *
 * - RFC 9728 §3.1: Protected Resource Metadata is at the resource's URL with
 *   `/.well-known/oauth-protected-resource` inserted between the host and the path; only "a
 *   terminating slash (/) following the host component" is removed first.
 * - RFC 8414 §3.1: AS metadata is at the issuer with `/.well-known/oauth-authorization-server`
 *   inserted the same way; "any terminating "/" MUST be removed" from the issuer's path first.
 * - MCP 2025-11-25 "Authorization Server Metadata Discovery": after RFC 8414, clients try OpenID
 *   Connect Discovery, with path insertion, then (for an issuer with a path) path appending.
 */

export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';
export const AUTHORIZATION_SERVER_WELL_KNOWN = '/.well-known/oauth-authorization-server';
export const OPENID_CONFIGURATION_WELL_KNOWN = '/.well-known/openid-configuration';

/** RFC 9728 §3.1: the metadata URL of a protected resource (its path kept, a bare "/" dropped). */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${PROTECTED_RESOURCE_WELL_KNOWN}${path}`;
}

/** RFC 8414 §3.1: the metadata URL an authorization server serves for its issuer. */
export function authorizationServerMetadataUrl(issuer: string): string {
  return authorizationServerMetadataUrls(issuer)[0]!;
}

/** Every AS metadata URL a client tries for an issuer, in the order MCP gives. */
export function authorizationServerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const urls = [
    `${url.origin}${AUTHORIZATION_SERVER_WELL_KNOWN}${path}`,
    `${url.origin}${OPENID_CONFIGURATION_WELL_KNOWN}${path}`,
  ];
  if (path) urls.push(`${url.origin}${path}${OPENID_CONFIGURATION_WELL_KNOWN}`);
  return urls;
}

/**
 * The lab's grading facility (DEMO DEVIATION, only with the AS's `dangerouslyMintGradingTokens`,
 * which `pnpm serve` sets on its loopback AS): the path, under the issuer, where the holder of a
 * valid token gets its twin for `pnpm client URL --grade` (an expired one, one for another
 * resource). Not in the RFC 8414 metadata: a client finds it only by knowing the lab.
 */
export const GRADING_TOKENS_PATH = '/grading/tokens';

/** The grading facility's URL for an issuer (its path appended to the issuer's). */
export function gradingTokensUrl(issuer: string): string {
  const url = new URL(issuer);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${GRADING_TOKENS_PATH}`;
  return url.href;
}
