/**
 * Loopback hosts. The demo's named deviations (plain http, loopback CIMD fetches) are allowed
 * for these hosts only: RFC 8252 §7.3 (loopback redirect URIs) and the Client ID Metadata
 * Document draft (-01) §6 (loopback fetches when the authorization server itself is on loopback).
 */
import { isIP } from 'node:net';

/** True for `localhost` (and `*.localhost`, RFC 6761 §6.3), 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isLoopbackAddress(host);
}

/** True for an IP address literal in 127.0.0.0/8 or ::1 (or IPv4-mapped loopback). */
export function isLoopbackAddress(address: string): boolean {
  const ip = address.toLowerCase();
  if (isIP(ip) === 4) return ip.startsWith('127.');
  if (isIP(ip) === 6) return ip === '::1' || /^::ffff:127\./.test(ip) || /^(0:){7}1$/.test(ip);
  return false;
}
