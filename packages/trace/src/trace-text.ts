/**
 * The small text helpers of the trace's presentations: a URL's query one parameter a line, a
 * token's claims on one line, a list, a URL's path. Shared by trace-describe.ts (which
 * re-exports `list` and `pathOf` for the printers) and nothing here knows an event kind.
 */
import type { TokenClaims } from './trace.ts';

/** A request URL as printed: the query, if any, one parameter a line below it. */
export function splitQuery(url: string): [string, string[]] {
  const at = url.indexOf('?');
  if (at < 0) return [url, []];
  const params = [...new URLSearchParams(url.slice(at + 1))].map(([k, v]) => `  ${k}=${v}`);
  return [`${url.slice(0, at)}?`, params];
}

export function claimsLine(claims: TokenClaims): string {
  const parts: string[] = [];
  if (claims.sub !== undefined) parts.push(`sub=${claims.sub}`);
  if (claims.aud !== undefined) parts.push(`aud=${Array.isArray(claims.aud) ? claims.aud.join(',') : claims.aud}`);
  if (claims.scope !== undefined) parts.push(`scope="${claims.scope}"`);
  if (claims.client_id !== undefined) parts.push(`client_id=${claims.client_id}`);
  if (claims.exp !== undefined) parts.push(`exp=${new Date(claims.exp * 1000).toISOString()}`);
  return parts.length > 0 ? parts.join(' ') : '(not a JWT: opaque to the client)';
}

export function list(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.join(' ');
}

export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
