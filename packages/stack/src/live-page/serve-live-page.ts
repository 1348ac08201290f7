/**
 * The live page's listener: `createLivePage` (live-page.ts) behind the servers' own HTTP layer
 * (packages/server-process http-server.ts: bounded headers, CONNECT refused), bound to
 * 127.0.0.1 only, on `port` (0: one the OS picks, printed by `pnpm serve`).
 */
import { createHttpServer } from '@mcp-auth-demo/server-process';
import type { AddressInfo } from 'node:net';
import { createLivePage, type LivePage, type LivePageOptions } from './live-page.ts';

export interface ServedLivePage extends Pick<LivePage, 'push' | 'changed'> {
  /** What `pnpm serve` prints: `http://127.0.0.1:PORT/`. */
  url: string;
  stop(): Promise<void>;
}

/** The loopback names a browser on this machine may use for the page, with its port. */
export const loopbackHosts = (port: number) => [`127.0.0.1:${port}`, `localhost:${port}`];

export async function startLivePage(port: number, options: Omit<LivePageOptions, 'hosts'>): Promise<ServedLivePage> {
  let hosts: string[] = [];
  const page = createLivePage({ ...options, hosts: () => hosts });
  // The page's own refusals are no party's decision: nothing to trace.
  const server = createHttpServer({ fetch: (request) => page.fetch(request), emit: () => {} });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  hosts = loopbackHosts(bound);
  return {
    url: `http://127.0.0.1:${bound}/`,
    push: page.push,
    changed: page.changed,
    stop: () => {
      page.close();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
