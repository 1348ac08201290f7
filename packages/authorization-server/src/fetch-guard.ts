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
import { BlockList, isIP } from 'node:net';
import { isLoopbackAddress } from '@mcp-auth-demo/common';

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

/**
 * RFC 6890 §2.2.2 (IPv4) and §2.2.3 (IPv6) special-purpose blocks, plus multicast (RFC 5771,
 * RFC 4291 §2.7), which no metadata host can be, and the later NAT64 local-use block (RFC 8215).
 * Loopback is classified before this list. IPv6 forms that embed an IPv4 address are first
 * normalised (`embeddedIPv4`), so the IPv4 rules see every spelling of an IPv4 address.
 */
const SPECIAL_USE: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', '"this host on this network"'],
  ['10.0.0.0', 8, 'ipv4', 'private-use'],
  ['100.64.0.0', 10, 'ipv4', 'shared address space'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private-use'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'ipv4', 'documentation (TEST-NET-1)'],
  ['192.88.99.0', 24, 'ipv4', '6to4 relay anycast'],
  ['192.168.0.0', 16, 'ipv4', 'private-use'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation (TEST-NET-2)'],
  ['203.0.113.0', 24, 'ipv4', 'documentation (TEST-NET-3)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved (includes limited broadcast)'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::', 96, 'ipv6', 'IPv4-compatible (deprecated, RFC 4291 §2.5.5.1)'],
  ['64:ff9b::', 96, 'ipv6', 'IPv4-IPv6 translation (NAT64)'],
  ['64:ff9b:1::', 48, 'ipv6', 'local-use IPv4-IPv6 translation (RFC 8215)'],
  ['100::', 64, 'ipv6', 'discard-only'],
  ['2001::', 23, 'ipv6', 'IETF protocol assignments (Teredo included)'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['2002::', 16, 'ipv6', '6to4'],
  ['fc00::', 7, 'ipv6', 'unique-local'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local (deprecated, RFC 3879)'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const blocks = SPECIAL_USE.map(([network, prefix, type, name]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, name: `${network}/${prefix} (${name})` };
});

/** The 16 bytes of an IPv6 address literal (any spelling: `::`, a dotted IPv4 tail, a zone id). */
function ipv6Bytes(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const octets = tail[1]!.split('.').map(Number);
    text = `${text.slice(0, -tail[1]!.length)}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/**
 * The IPv4 address an IPv6 address stands for on THIS host's stack, or `undefined`:
 * `::ffff:a.b.c.d` (IPv4-mapped, RFC 4291 §2.5.5.2), in any spelling, e.g. `::ffff:7f00:1` (the
 * URL parser writes `[::ffff:127.0.0.1]` so). A connection to it is a connection to the IPv4
 * address, so it must be classified as that address. Other embeddings (NAT64 `64:ff9b::/96`,
 * 6to4 `2002::/16`, IPv4-compatible `::/96`) reach a translator or relay, not the embedded
 * address directly: they stay refused as their own special-use blocks, whatever they embed.
 */
export function embeddedIPv4(address: string): string | undefined {
  if (isIP(address.replace(/%.*$/, '')) !== 6) return undefined;
  const bytes = ipv6Bytes(address);
  if (!bytes) return undefined;
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12).join('.') : undefined;
}

export type AddressClass = { kind: 'loopback' } | { kind: 'special-use'; block: string } | { kind: 'public' };

/** Classifies one IP address literal (RFC 6890), after normalising an IPv4-mapped IPv6 address. */
export function classifyAddress(literal: string): AddressClass {
  const address = embeddedIPv4(literal) ?? literal.replace(/%.*$/, '');
  if (isLoopbackAddress(address)) return { kind: 'loopback' };
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const hit = blocks.find((block) => block.type === type && block.list.check(address, type));
  return hit ? { kind: 'special-use', block: hit.name } : { kind: 'public' };
}

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
