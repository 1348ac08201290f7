/**
 * Where the stack's servers listen: the port flags every command shares, the URLs they imply,
 * and free ephemeral loopback ports for tests and the benchmark.
 */
import { DEFAULT_PORTS } from '@mcp-auth-demo/common';
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

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--${flag} must be a port number (1-65535), got "${value}"`);
  return n;
}

/** The servers' URLs from the port flags, defaulting to the well-known demo ports. */
export function urlsFromPortFlags(values: { 'as-port'?: string; 'rs-port'?: string; 'client-port'?: string }): StackUrls {
  return urlsForPorts({
    as: port(values['as-port'], DEFAULT_PORTS.authorizationServer, 'as-port'),
    rs: port(values['rs-port'], DEFAULT_PORTS.resourceServer, 'rs-port'),
    client: port(values['client-port'], DEFAULT_PORTS.clientHost, 'client-port'),
  });
}

/** A loopback port that was free a moment ago (the OS picks it): for tests and the benchmark. */
export function freePort(): Promise<number> {
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

/** One free port for each server of the stack. */
export async function freePorts(): Promise<{ as: number; rs: number; client: number }> {
  return { as: await freePort(), rs: await freePort(), client: await freePort() };
}

export function urlsForPorts(ports: { as: number; rs: number; client: number }): StackUrls {
  return {
    issuer: `http://localhost:${ports.as}`,
    resource: `http://localhost:${ports.rs}/mcp`,
    clientBase: `http://localhost:${ports.client}`,
  };
}

