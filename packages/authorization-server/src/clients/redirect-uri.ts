/**
 * Redirect URIs: which ones a client may register, and how a request's `redirect_uri` is matched.
 *
 * - MCP 2025-11-25, Communication Security: "All redirect URIs MUST be either localhost or use
 *   HTTPS." Plain http on a loopback host is the native-app pattern of RFC 8252 §7.3, so it is
 *   spec behaviour here, not a demo deviation.
 * - RFC 6749 §3.1.2: a redirect URI is absolute and "MUST NOT include a fragment component".
 * - RFC 9700 §2.1: "authorization servers MUST utilize exact string matching except for port
 *   numbers in localhost redirection URIs of native apps" (also CIMD §4.5).
 * - RFC 8252 §7.3: "The authorization server MUST allow any port to be specified at the time of
 *   the request for loopback IP redirect URIs". Only the port may differ.
 */
import { isLoopbackHost } from '@mcp-auth-demo/common';

/**
 * The longest client_id or redirect_uri this AS accepts, registered or requested. Both are stored
 * with every pending authorization code (codes.ts), so this length times the store's bound is the
 * memory anyone can claim; 2,048 characters is far beyond any real client's URL.
 */
export const MAX_URI_LENGTH = 2048;

/** A long value cut short for a message (an error must not echo 14 KB back). */
export function abbreviated(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}... (${value.length} characters)` : value;
}

/** Why a redirect URI cannot be registered, or `undefined` when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  // Not a spec rule: this server's bound on what it stores (see MAX_URI_LENGTH).
  if (uri.length > MAX_URI_LENGTH) return `redirect URI "${abbreviated(uri)}" is longer than ${MAX_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `redirect URI "${uri}" is not an absolute URI (RFC 6749 §3.1.2)`;
  }
  // RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component."
  if (uri.includes('#')) return `redirect URI "${uri}" has a fragment (RFC 6749 §3.1.2)`;
  // MCP Communication Security: "All redirect URIs MUST be either localhost or use HTTPS."
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return `redirect URI "${uri}" must use https, or http on a loopback host (MCP Communication Security; RFC 8252 §7.3)`;
}

/** True when every registered redirect URI is on a loopback host (the consent warning case). */
export function allLoopback(redirectUris: string[]): boolean {
  return redirectUris.every((uri) => isLoopbackHost(new URL(uri).hostname));
}

/**
 * Finds the registered redirect URI that `requested` matches: exactly, or (RFC 8252 §7.3) a
 * loopback http URI that differs from a registered one in its port only. Returns `requested`
 * itself (the URI the client will listen on) or `undefined` when nothing matches.
 */
export function matchRedirectUri(requested: string, registered: string[]): string | undefined {
  // CIMD §4.5: "MUST ensure that the redirect URI in a request is an exact match of a registered redirect URI".
  if (registered.includes(requested)) return requested;
  const portless = loopbackWithoutPort(requested);
  if (portless === undefined) return undefined;
  // RFC 8252 §7.3: for loopback redirect URIs only the port may vary; scheme, host, path and query may not.
  return registered.some((uri) => loopbackWithoutPort(uri) === portless) ? requested : undefined;
}

/**
 * For an http URI on a loopback host, the same URI with its port removed; else `undefined`.
 * RFC 8252 §7.3 names the IP literals 127.0.0.1 and [::1]; RFC 9700 §2.1 speaks of "localhost
 * redirection URIs", and MCP clients commonly register `localhost`, so it is accepted as well.
 */
function loopbackWithoutPort(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || uri.includes('#')) return undefined;
  // Compare what the client actually wrote, minus the port: rebuild from the raw string so that
  // URL normalisation (case, dot segments, percent-encoding) cannot make two strings "equal".
  const match = /^http:\/\/(\[[^\]]+\]|[^/:?#]+)(?::\d*)?(.*)$/i.exec(uri);
  return match ? `http://${match[1]}${match[2]}` : undefined;
}
