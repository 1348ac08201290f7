/**
 * Where the stack's servers listen: the port flags every command shares, the URLs they imply,
 * and free ephemeral loopback ports for tests and the benchmark.
 */
import { DEFAULT_PORTS } from '@mcp-auth-demo/common';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';

export interface StackUrls {
  issuer: string;
  resource: string;
  clientBase: string;
}

/** The `--as-port`, `--rs-port` and `--client-port` flags, for `parseArgs`. */
export const PORT_FLAGS = {
  'as-port': { type: 'string' },
  'rs-port': { type: 'string' },
  'client-port': { type: 'string' },
} as const;

/** A port flag's value as a number; `lowest` 0 where "0: one the OS picks" is allowed. */
export function portFlag(value: string, flag: string, lowest: 0 | 1 = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < lowest || n > 65535) throw new Error(`--${flag} must be a port number (${lowest}-65535), got "${value}"`);
  return n;
}

function port(value: string | undefined, fallback: number, flag: string): number {
  return value === undefined ? fallback : portFlag(value, flag);
}

/** The servers' URLs from the port flags, defaulting to the well-known demo ports; https with `--https`. */
export function urlsFromPortFlags(values: { 'as-port'?: string; 'rs-port'?: string; 'client-port'?: string; https?: boolean }): StackUrls {
  return urlsForPorts({
    as: port(values['as-port'], DEFAULT_PORTS.authorizationServer, 'as-port'),
    rs: port(values['rs-port'], DEFAULT_PORTS.resourceServer, 'rs-port'),
    client: port(values['client-port'], DEFAULT_PORTS.clientHost, 'client-port'),
  }, values.https ? 'https' : 'http');
}

/**
 * The ports the OS hands out on its own: to `listen(0)` and as the local end of every outgoing
 * connection. A port picked there and released can be taken by any outgoing connection (a test
 * next door fetching a page) before our child process binds it, so we pick below that range.
 */
function osEphemeralRange(): { low: number; high: number } | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low && high ? { low, high } : undefined;
  } catch {
    return undefined; // not Linux: fall back to the OS's pick
  }
}

const handedOut = new Set<number>();
const LOWEST_PICK = 10_000;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function osPick(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A loopback port that was free a moment ago, for tests and the benchmark: a random one below
 * the OS's ephemeral range (so no outgoing connection takes it before it is bound), never one
 * this process handed out already.
 */
export async function freePort(): Promise<number> {
  const range = osEphemeralRange();
  if (!range || range.low - LOWEST_PICK < 1000) return osPick();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOWEST_PICK + Math.floor(Math.random() * (range.low - LOWEST_PICK));
    if (handedOut.has(port) || !(await canBind(port))) continue;
    handedOut.add(port);
    return port;
  }
  return osPick();
}

/** One free port for each server of the stack. */
export async function freePorts(): Promise<{ as: number; rs: number; client: number }> {
  return { as: await freePort(), rs: await freePort(), client: await freePort() };
}

export function urlsForPorts(ports: { as: number; rs: number; client: number }, scheme: 'http' | 'https' = 'http'): StackUrls {
  return {
    issuer: `${scheme}://localhost:${ports.as}`,
    resource: `${scheme}://localhost:${ports.rs}/mcp`,
    clientBase: `${scheme}://localhost:${ports.client}`,
  };
}
