/**
 * Where the client may send a request, and what it may open in the person's browser. A server
 * the user does not control names every URL after the first (PRM, issuer, endpoints), so each
 * one is checked BEFORE anything connects to it:
 *
 * - MCP 2025-11-25 "Communication Security": "All authorization server endpoints MUST be served
 *   over HTTPS." Plain http is the lab's named deviation for loopback hosts only.
 * - MCP Security Best Practices, "Server-Side Request Forgery": a remote server must not make the
 *   client reach loopback or the local network (a POST to `http://127.0.0.1:…/containers/db/kill`).
 * - RFC 8252 §8.3 / MCP "Authorization URL" handling: the client opens only `https:` URLs (or
 *   `http:` on loopback) in a browser, never `file:`, `search-ms:` or a custom scheme handler.
 *
 * Host names are resolved and every address is classified (RFC 6890). The fetch then resolves
 * the name again: a DNS answer that changes in between is not covered (see docs/grading-your-server.md).
 */
import { classifyAddress, isLoopbackHost } from '@mcp-auth-demo/common';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { StepFailure } from './step-failure.ts';
import type { Fetch } from './traced-fetch.ts';

/** Resolves a host name to every address it has (like `dns.lookup` with `all: true`). */
export type ResolveHost = (hostname: string) => Promise<{ address: string }[]>;

export const defaultResolveHost: ResolveHost = (hostname) => lookup(hostname, { all: true });

export interface EndpointPolicy {
  /** The MCP server URL the user named: the one origin they chose themselves. */
  serverUrl: string;
  resolveHost?: ResolveHost;
}

/** The host of a URL without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Printable: a URL from a hostile server must not carry control characters into a message. */
export function quoteUrl(url: string): string {
  return JSON.stringify(url.length > 200 ? `${url.slice(0, 200)}…` : url);
}

/** RFC 8252 §8.3 and MCP: the browser gets only https, or http on a loopback host. */
export function checkBrowserUrl(url: URL): void {
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!allowed) {
    throw new StepFailure(
      'an https authorization URL (or http on loopback) to open in the browser (MCP "Communication Security")',
      `${quoteUrl(url.href)}: scheme ${url.protocol} is refused; the client opens no file:, search-ms:, custom-scheme or plain-http remote URL`,
    );
  }
}

/** MCP: "All authorization server endpoints MUST be served over HTTPS" (http only on loopback, the lab's deviation). */
export function checkAuthorizationServerEndpoint(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new StepFailure(`${name} as an absolute URL`, quoteUrl(value));
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new StepFailure(
    `an https ${name} (MCP "Communication Security"; http only on loopback)`,
    `${quoteUrl(value)}: refused before connecting (it would carry the code, the PKCE verifier or a secret in cleartext)`,
  );
}

/** Every endpoint of the AS metadata the client may use. */
const AS_ENDPOINTS = ['issuer', 'authorization_endpoint', 'token_endpoint', 'registration_endpoint'] as const;

export function checkAuthorizationServerEndpoints(metadata: Partial<Record<(typeof AS_ENDPOINTS)[number], unknown>>): void {
  for (const name of AS_ENDPOINTS) {
    const value = metadata[name];
    if (typeof value === 'string') checkAuthorizationServerEndpoint(name, value);
  }
}

/**
 * Checks one outgoing URL against the policy; throws a StepFailure to refuse. Private and
 * loopback addresses are refused only when the MCP server itself is not on loopback: the lab
 * (everything on loopback) and a user's own local servers keep working.
 */
export async function checkOutgoingUrl(raw: string, policy: EndpointPolicy, resolved = new Map<string, string[]>()): Promise<void> {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StepFailure('an http or https URL', `${quoteUrl(raw)}: scheme ${url.protocol} is refused`);
  }
  const server = new URL(policy.serverUrl);
  // Plain http beyond loopback: only to the origin the user typed themselves.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && url.origin !== server.origin) {
    throw new StepFailure(
      'https for every server the client is sent to (MCP "Communication Security")',
      `${quoteUrl(raw)}: plain http to a host the user did not name; refused before connecting`,
    );
  }
  if (isLoopbackHost(server.hostname)) return;
  // MCP Security Best Practices (SSRF): a remote MCP server may not point the client at loopback or the local network.
  const host = bareHost(url);
  const addresses = isLoopbackHost(host) ? ['127.0.0.1'] : isIP(host) ? [host] : await resolveOnce(host, policy, resolved);
  for (const address of addresses) {
    const found = classifyAddress(address);
    if (found.kind === 'public') continue;
    throw new StepFailure(
      'a public address for every URL a remote MCP server names (MCP Security Best Practices, SSRF)',
      `${quoteUrl(raw)} → ${address} (${found.kind === 'loopback' ? 'loopback' : found.block}): refused before connecting, because ${server.host} is not on loopback`,
    );
  }
}

async function resolveOnce(host: string, policy: EndpointPolicy, resolved: Map<string, string[]>): Promise<string[]> {
  let addresses = resolved.get(host);
  if (!addresses) {
    try {
      addresses = (await (policy.resolveHost ?? defaultResolveHost)(host)).map((a) => a.address);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new StepFailure(`an address for ${host}`, `none: ${typeof code === 'string' ? code : String(error)}`);
    }
    resolved.set(host, addresses);
  }
  return addresses;
}

/**
 * A fetch that checks every URL before handing it on; a refused URL never reaches `next`.
 * Redirects are followed here, GET only and at most 5, each target checked like the first:
 * otherwise a public URL answering `302 Location: http://127.0.0.1/…` would slip past. A hop
 * to another origin drops `Authorization`, as fetch itself would.
 */
export function createPolicyFetch(next: Fetch, policy: EndpointPolicy): Fetch {
  const resolved = new Map<string, string[]>();
  return async (input, init) => {
    let url = input instanceof Request ? input.url : String(input);
    await checkOutgoingUrl(url, policy, resolved);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (init?.redirect === 'manual' || init?.redirect === 'error' || method !== 'GET') {
      return next(input, { ...init, redirect: init?.redirect ?? 'manual' });
    }
    let response = await next(input, { ...init, redirect: 'manual' });
    let hopInit: RequestInit = { ...init, redirect: 'manual' };
    for (let hops = 0; isRedirect(response.status) && response.headers.get('location'); hops += 1) {
      const target = new URL(response.headers.get('location')!, url).href;
      await response.body?.cancel().catch(() => {});
      if (hops === 5) throw new StepFailure(`an answer within 5 redirects from ${quoteUrl(url)}`, 'more redirects');
      await checkOutgoingUrl(target, policy, resolved);
      // Fetch Standard, HTTP-redirect fetch: on a redirect to another origin, `Authorization` is
      // removed. A bearer token goes only where it was sent (RFC 6750 §5.1, token disclosure).
      if (new URL(target).origin !== new URL(url).origin) hopInit = { ...hopInit, headers: withoutAuthorization(hopInit.headers) };
      url = target;
      response = await next(url, hopInit);
    }
    return response;
  };
}

function withoutAuthorization(headers: HeadersInit | undefined): Headers {
  const kept = new Headers(headers);
  kept.delete('authorization');
  return kept;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
