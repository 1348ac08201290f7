/**
 * The guarded fetch of a Client ID Metadata Document: the authorization server takes a URL from
 * an unknown party and fetches it, which is a Server-Side Request Forgery risk.
 *
 * - CIMD draft -01 §6.5: "Authorization servers MUST validate that the Client ID Metadata Document
 *   URL does not resolve to special-use IP addresses as defined in [RFC6890], except when the
 *   authorization server itself is also running on a loopback address".
 * - CIMD draft -01 §4: "The authorization server MUST NOT automatically follow HTTP redirects".
 * - CIMD draft -01 §6.6: limit the response size; 5 kilobytes is the recommended maximum.
 *
 * DNS rebinding: the address checked here is handed to the fetch (`VettedAddress`), and the
 * default fetch connects to exactly that address (pinned-fetch.ts) instead of resolving the
 * name a second time, so a DNS answer that changes in between cannot redirect the fetch.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from '@mcp-auth-demo/common';

/** An address of the client_id host that passed the SSRF check. */
export interface VettedAddress {
  address: string;
  family: number;
}

/**
 * How the authorization server fetches documents: it must connect to `vetted`, the address that
 * passed the check (the default does, see pinned-fetch.ts; tests route to an in-process app).
 */
export type GuardedFetch = (url: string, init: RequestInit, vetted: VettedAddress) => Response | Promise<Response>;

/** Resolves a host name to every address it has (like `dns.lookup` with `all: true`). */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const defaultResolveHost: ResolveHost = (hostname) => lookup(hostname, { all: true });

/** A refusal to fetch, or a fetch whose answer was not acceptable. `message` is safe to show. */
export class FetchRefused extends Error {
  override readonly name = 'FetchRefused';
  /** What the trace may show in addition (never sent to the client). */
  readonly detail: string | undefined;
  constructor(message: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}

// The RFC 6890 table and the classification live in common (address-class.ts), shared with the client.
export { classifyAddress, embeddedIPv4, type AddressClass } from '@mcp-auth-demo/common';

/**
 * The one message the client sees for every address refusal. The details (which address, which
 * block, or that the name did not resolve) go to the trace only: distinct messages would let
 * anyone use this server to map names inside its network (split-horizon DNS).
 */
const NOT_PUBLIC = 'the client_id host does not resolve to a public address (CIMD §6.5, RFC 6890)';

/**
 * Resolves the URL's host and refuses it if ANY of its addresses is special-use: the fetch may
 * connect to any of them. Loopback passes only when `allowLoopback` (the AS is on loopback too).
 */
export async function checkHostAddresses(url: URL, resolveHost: ResolveHost, allowLoopback: boolean): Promise<VettedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let resolved: VettedAddress[];
  if (isIP(host)) {
    resolved = [{ address: host, family: isIP(host) }];
  } else {
    try {
      resolved = await resolveHost(host);
    } catch (error) {
      throw new FetchRefused(NOT_PUBLIC, `${host} could not be resolved: ${String(error)}`);
    }
  }
  if (resolved.length === 0) throw new FetchRefused(NOT_PUBLIC, `${host} has no address`);
  for (const { address } of resolved) {
    const found = classifyAddress(address);
    // CIMD -01 §6.5: loopback only "when the authorization server itself is also running on a loopback address".
    if (found.kind === 'loopback' && !allowLoopback) {
      throw new FetchRefused(NOT_PUBLIC, `${host} -> ${address}: loopback, and this server is not on loopback`);
    }
    // CIMD -01 §6.5: the URL "MUST NOT resolve to special-use IP addresses as defined in [RFC6890]".
    if (found.kind === 'special-use') {
      throw new FetchRefused(NOT_PUBLIC, `${host} -> ${address}: special-use block ${found.block}`);
    }
  }
  return resolved[0]!;
}

export interface BoundedFetchOptions {
  fetch: GuardedFetch;
  /** The address that passed `checkHostAddresses`: the only one the fetch may connect to. */
  vetted: VettedAddress;
  timeoutMs: number;
  maxBytes: number;
}

export interface BoundedResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/**
 * GETs `url` without following redirects, within `timeoutMs` for the whole exchange (headers
 * and body), reading at most `maxBytes` of body. Any status is returned (the caller decides what
 * counts as success), but only a 200 answer has its body read; any other body is discarded.
 */
export async function fetchBounded(url: string, { fetch, vetted, timeoutMs, maxBytes }: BoundedFetchOptions): Promise<BoundedResponse> {
  const controller = new AbortController();
  const deadline = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new FetchRefused(`no complete answer within ${timeoutMs} ms`)), { once: true });
  });
  deadline.catch(() => {}); // observed by the races below; never an unhandled rejection
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      // CIMD -01 §4: "MUST NOT automatically follow HTTP redirects" (redirect: 'manual').
      const init: RequestInit = { method: 'GET', redirect: 'manual', signal: controller.signal, headers: { Accept: 'application/json' } };
      // The race, not only the signal, bounds the time: an injected fetch may ignore the signal.
      response = await Promise.race([Promise.resolve(fetch(url, init, vetted)), deadline]);
    } catch (error) {
      if (error instanceof FetchRefused) throw error;
      throw new FetchRefused('the document could not be fetched', String(error));
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      return { status: response.status, headers: response.headers, body: new Uint8Array(0) };
    }
    // CIMD -01 §6.6: limit the response size. A declared length is a shortcut, never trusted alone.
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new FetchRefused(`the document is larger than ${maxBytes} bytes (CIMD §6.6)`);
    }
    const body = await Promise.race([readAtMost(response, maxBytes, controller.signal), deadline]);
    return { status: response.status, headers: response.headers, body };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the body stream chunk by chunk and stops as soon as it grows past `maxBytes`. */
async function readAtMost(response: Response, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new FetchRefused(`the document is larger than ${maxBytes} bytes (CIMD §6.6)`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
