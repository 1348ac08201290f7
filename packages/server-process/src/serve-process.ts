/**
 * What every `serve.ts` shares: listen on the host and port of the app's own URL, write trace
 * events to stdout as JSON lines, say clearly when the port is taken, and shut down cleanly on
 * Ctrl-C, SIGTERM, or (when started by the orchestrator) when the parent goes away. An https URL
 * is served with TLS (`tls`: the lab's leaf, `--https`), an http one without. Once a busy
 * server goes quiet, it collects its garbage (idle-collection.ts).
 */
import { createServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ConfigError, EXIT_INVALID_CONFIG } from '@mcp-auth-demo/common';
import { createEmitter, stdoutSink, traceOutputWritten, type Party } from '@mcp-auth-demo/trace';
import { createHttpServer } from './http-server.ts';
import { createIdleCollection } from './idle-collection.ts';

/** Exit code of a server whose port is already taken (the orchestrator explains it). */
export const EXIT_PORT_IN_USE = 3;

/** Set by the orchestrator: exit when stdin closes, so a killed parent leaves no orphan. */
export const EXIT_WITH_PARENT_ENV = 'MCP_DEMO_EXIT_WITH_PARENT';


/**
 * Builds a server's app; an invalid configuration ends the process with the message (no stack
 * trace) and `EXIT_INVALID_CONFIG`, the same for every server.
 */
export function buildAppOrExit<T>(party: Party, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${party}: invalid configuration: ${error.message}\n`);
    process.exit(EXIT_INVALID_CONFIG);
  }
}

export interface ServeOptions {
  party: Party;
  /** The URL the app is reached at; its hostname and port are where it listens. */
  url: string;
  /** A web-standard handler (our Hono apps)... */
  fetch?: (request: Request) => Response | Promise<Response>;
  /** ...or a Node request listener (a third-party server such as oidc-provider, a Koa app). */
  listener?: RequestListener;
  /** How a user picks another port, for the "port in use" message. */
  portHint: string;
  /** The certificate and key to listen with; required for an https `url`, refused for an http one. */
  tls?: { cert: string; key: string };
}

export function serveApp({ party, url, fetch, listener, portHint, tls }: ServeOptions): void {
  const { hostname, port, protocol } = new URL(url);
  if (!fetch === !listener) throw new Error('serveApp needs exactly one of fetch and listener');
  // The URL says what is spoken: an https URL served as plain http would fail every client.
  if ((protocol === 'https:') !== Boolean(tls)) {
    process.stderr.write(`${party}: ${url} ${tls ? 'is http, but TLS files were given' : 'is https, but no TLS certificate was given (pnpm demo|serve --https makes one)'}\n`);
    process.exit(EXIT_INVALID_CONFIG);
  }
  const emit = createEmitter(party, stdoutSink);
  // Our apps get the project's HTTP layer; a third-party server (oidc-provider) brings its own.
  // Every event a request caused leaves before its answer, in the turn's one write (trace-output.ts).
  const server = fetch
    ? createHttpServer({
        fetch: async (request) => {
          try {
            return await fetch(request);
          } finally {
            await traceOutputWritten();
          }
        },
        emit,
        ...(tls && { tls }),
      })
    : tls
      ? createHttpsServer(tls, listener)
      : createServer(listener);

  // Issue 23: once the server goes quiet after a load, a collection gives the memory of the
  // load back (idle-collection.ts; needs --expose-gc, which the stack passes).
  const idle = createIdleCollection();
  server.on('request', idle.requestSeen);

  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      process.stderr.write(`${party}: port ${port} on ${hostname} is already in use. ${portHint}\n`);
      process.exit(EXIT_PORT_IN_USE);
    }
    process.stderr.write(`${party}: cannot listen on ${url}: ${error.message}\n`);
    process.exit(1);
  });

  // Bind to the URL's own host (localhost by default), never to every interface.
  server.listen(Number(port), hostname.replace(/^\[|\]$/g, ''), () => {
    const address = server.address() as AddressInfo;
    emit('server.listening', { url, bound: `${address.address}:${address.port}` });
  });

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    idle.stop();
    server.close(() => process.exit(0));
    if ('closeAllConnections' in server) server.closeAllConnections();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (process.env[EXIT_WITH_PARENT_ENV] === '1') {
    process.stdin.on('end', shutdown).on('error', shutdown).resume();
  }
}
