/**
 * What kind of IP address a literal is: loopback, special-use (RFC 6890 §2.2.2 IPv4, §2.2.3
 * IPv6: private-use, link-local, unique-local, documentation, ...), or public. The one table,
 * used by the AS's CIMD fetch guard and by the client's endpoint policy.
 */
import { BlockList, isIP } from 'node:net';
import { isLoopbackAddress } from './loopback.ts';

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
export function classifyAddress(input: string): AddressClass {
  // A URL's hostname keeps the brackets of an IPv6 literal: `[::1]`.
  const literal = input.replace(/^\[|\]$/g, '');
  const address = embeddedIPv4(literal) ?? literal.replace(/%.*$/, '');
  if (isLoopbackAddress(address)) return { kind: 'loopback' };
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const hit = blocks.find((block) => block.type === type && block.list.check(address, type));
  return hit ? { kind: 'special-use', block: hit.name } : { kind: 'public' };
}
