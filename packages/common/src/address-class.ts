/**
 * What kind of IP address a literal is: loopback, special-use (RFC 6890 §2.2.2 IPv4, §2.2.3
 * IPv6: private-use, link-local, unique-local, documentation, ...), or public. An IPv4-mapped
 * IPv6 address (`::ffff:10.0.0.1`, RFC 4291 §2.5.5.2) is classified as the IPv4 address it
 * carries, so the mapped form cannot slip past as "public".
 */
import { BlockList, isIP } from 'node:net';
import { isLoopbackAddress } from './loopback.ts';

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
  ['64:ff9b::', 96, 'ipv6', 'IPv4-IPv6 translation'],
  ['100::', 64, 'ipv6', 'discard-only'],
  ['2001::', 23, 'ipv6', 'IETF protocol assignments'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['2002::', 16, 'ipv6', '6to4'],
  ['fc00::', 7, 'ipv6', 'unique-local'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const blocks = SPECIAL_USE.map(([network, prefix, type, name]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, name: `${network}/${prefix} (${name})` };
});

export type AddressClass = { kind: 'loopback' } | { kind: 'special-use'; block: string } | { kind: 'public' };

/** The IPv4 address inside an IPv4-mapped IPv6 address (either notation), else the input. */
export function unmapIPv4(address: string): string {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  const dotted = /^(?:0{0,4}:){5}ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) return dotted[1]!;
  const hex = /^(?:(?:0{0,4}:){5}|::)ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return ip;
}

/** Classifies one IP address literal (RFC 6890), IPv4-mapped forms as their IPv4 address. */
export function classifyAddress(address: string): AddressClass {
  const ip = unmapIPv4(address);
  if (isLoopbackAddress(ip)) return { kind: 'loopback' };
  const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  const hit = blocks.find(({ list }) => list.check(ip, type));
  return hit ? { kind: 'special-use', block: hit.name } : { kind: 'public' };
}
