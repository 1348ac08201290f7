/**
 * The Node HTTP server every party's app runs in (`serveApp` listens with it): what HTTP/1.1
 * needs beyond the app's own answers.
 *
 * 1. Early answers. An app may answer before it has read the request body (a 401 decided from
 *    the headers, a 413 from `Content-Length`, a 403 `Origin`). If the server then closed the
 *    socket while the client was still sending, the kernel would reset the connection: most
 *    clients would see EPIPE or ECONNRESET instead of the answer, and a `keep-alive` promise
 *    would be broken on the next request. So before such an answer leaves, the rest of the body
 *    is read and discarded, within a bound (`EARLY_ANSWER_DRAIN_MAX_BYTES`,
 *    `EARLY_ANSWER_DRAIN_MAX_MS`), and the answer says `Connection: close` (RFC 9112 §9.6): the
 *    client learns the answer, and no client reuses a connection whose framing this server gave
 *    up on. A body that is discarded is never parsed.
 * 2. `CONNECT` (RFC 9110 §9.3.6) asks for a tunnel, which only a proxy makes. Node's server
 *    hands it to a 'connect' listener, not to the app, and without one just drops the
 *    connection. These servers are not proxies: the answer is 405 like any other method the
 *    target does not support, with `Allow` (RFC 9110 §15.5.6), and the refusal is traced.
 * 3. Slow clients (slowloris). A connection that trickles its headers holds a socket for as
 *    long as the server waits. Node's defaults wait 60 s for headers and 300 s for a request,
 *    checked every 30 s; these servers answer a few kilobytes per request, so they wait
 *    `HEADERS_TIMEOUT_MS` for the headers and `REQUEST_TIMEOUT_MS` for the whole request
 *    (Node answers 408 and closes), checked every second. A response that streams (an MCP
 *    SSE stream) is not cut: the bound is on receiving the request, not on answering it.
 * 4. TLS (`--https`): with `tls`, the same server speaks HTTPS (node:https), with the lab's leaf
 *    certificate and key (@mcp-auth-demo/local-ca); everything above holds unchanged.
 */
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { describeRejection, OAuthError, oauthErrorResponse } from '@mcp-auth-demo/common';
import type { Emit } from '@mcp-auth-demo/trace';

/** At most this much of an unread request body is discarded before an early answer... */
export const EARLY_ANSWER_DRAIN_MAX_BYTES = 64 * 1024 * 1024;
/** ...and for at most this long; past either bound the connection is closed after the answer. */
export const EARLY_ANSWER_DRAIN_MAX_MS = 5_000;

/** The methods these servers answer somewhere (RFC 9110 §15.5.6: a 405 "MUST generate an Allow header"). */
const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';

/** How long a client may take to send its request headers, and its whole request (Node: 408, closed). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

export interface HttpServerOptions {
  fetch: (request: Request) => Response | Promise<Response>;
  /** The party's emitter, for the refusals this layer answers itself. */
  emit: Emit;
  /** Tests only: shorter bounds on slow clients (defaults HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, 1 s checks). */
  slowClientBounds?: { headersMs: number; requestMs: number; checkEveryMs: number };
  /** Listen with TLS: this certificate chain and private key, PEM (default: plain HTTP). */
  tls?: { cert: string; key: string };
}

/** Reads and discards what is left of a request body, within the bounds; true when all of it arrived. */
export function discardRequestBody(incoming: IncomingMessage, maxBytes = EARLY_ANSWER_DRAIN_MAX_BYTES, maxMs = EARLY_ANSWER_DRAIN_MAX_MS): Promise<boolean> {
  if (incoming.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    let bytes = 0;
    const finish = (complete: boolean) => {
      clearTimeout(timer);
      incoming.off('data', onData).off('end', onEnd).off('error', onFail).off('close', onFail);
      if (!complete) incoming.pause();
      resolve(complete);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onFail = () => finish(incoming.complete);
    const timer = setTimeout(() => finish(false), maxMs);
    // The app has answered, so whatever was reading the body (a web stream over it that stopped
    // at a bound, and now holds it paused) has given up on it: this is its only reader now.
    incoming.removeAllListeners('data');
    incoming.on('data', onData).on('end', onEnd).on('error', onFail).on('close', onFail);
    incoming.resume();
  });
}

/** The same answer, with `Connection: close`. */
function closing(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Connection', 'close');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Answers an early response only once the body has been discarded (bounded), and closes. */
async function answer(options: HttpServerOptions, request: Request, incoming: IncomingMessage): Promise<Response> {
  const response = await options.fetch(request);
  if (incoming.complete) return response;
  await discardRequestBody(incoming);
  return closing(response);
}

/** The 405 for a CONNECT, written on the raw socket (no app sees it), and traced. */
function refuseConnect(request: IncomingMessage, socket: Duplex, emit: Emit): void {
  const error = new OAuthError('method_not_allowed', 'CONNECT is not supported: this server is not a proxy.', {
    headers: { Allow: ALLOWED_METHODS, Connection: 'close' },
  });
  const response = oauthErrorResponse(error);
  // CONNECT's target is an authority (host:port), not a path: the trace shows it as it came.
  const rejection = describeRejection({ method: 'CONNECT', url: 'http://connect.invalid/' }, error, response);
  emit('request.rejected', { ...rejection, path: request.url ?? '' });
  void response.text().then((body) => {
    const head = [`HTTP/1.1 405 Method Not Allowed`, ...[...response.headers].map(([name, value]) => `${name}: ${value}`), `Content-Length: ${Buffer.byteLength(body)}`];
    socket.on('error', () => {});
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
}

/** A Node HTTP server for the app: early answers drained and closed, CONNECT answered. Not listening yet. */
export function createHttpServer(options: HttpServerOptions): Server {
  const bounds = options.slowClientBounds ?? { headersMs: HEADERS_TIMEOUT_MS, requestMs: REQUEST_TIMEOUT_MS, checkEveryMs: 1_000 };
  const serverOptions = { headersTimeout: bounds.headersMs, requestTimeout: bounds.requestMs, connectionsCheckingInterval: bounds.checkEveryMs };
  const fetch = (request: Request, env: unknown) => answer(options, request, (env as HttpBindings).incoming);
  const server = (
    options.tls
      ? createAdaptorServer({ fetch, createServer: createHttpsServer, serverOptions: { ...serverOptions, cert: options.tls.cert, key: options.tls.key } })
      : createAdaptorServer({ fetch, serverOptions })
  ) as Server;
  server.on('connect', (request: IncomingMessage, socket: Duplex) => refuseConnect(request, socket, options.emit));
  return server;
}
