/**
 * Every fetch of the client is bounded in time and size, and a failed connection says why.
 *
 * A server the user does not control can answer with an endless body, or never at all. Without
 * a bound `pnpm client` would hang with only its banner printed while its memory grows. Each
 * response must arrive within `timeoutMs` and its body must be read within `timeoutMs` of the
 * request and be at most `maxBytes` (an MCP `text/event-stream` body may stay open longer, as
 * Streamable HTTP allows, but is size-bounded all the same).
 *
 * Node's fetch reports every network failure as "fetch failed" and hides the reason in `cause`:
 * the step failure names it (ECONNREFUSED, ENOTFOUND, ...).
 */
import { StepFailure } from './step-failure.ts';
import { quoteUrl } from './endpoint-policy.ts';
import type { Fetch } from './traced-fetch.ts';

export interface FetchBounds {
  /** For the answer, and for the whole body of a non-stream response (default 10 s). */
  timeoutMs?: number;
  /** The largest body the client reads (default 1 MiB). */
  maxBytes?: number;
}

export const DEFAULT_FETCH_BOUNDS = { timeoutMs: 10_000, maxBytes: 1024 * 1024 } as const;

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ENOTFOUND: 'no such host (DNS)',
  EAI_AGAIN: 'DNS lookup failed for now',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate chain could not be verified',
  // A server that sends its CA along (as a server whose own trust store holds that CA does).
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain ends at a CA this client does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate is signed by a CA this client does not trust',
};

/** One line for a failed fetch: the code and its meaning, from the error or its causes. */
export function describeNetworkError(error: unknown): string {
  const seen: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const { code, message, cause, errors } = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof code === 'string') {
      const address = (current as { address?: unknown; port?: unknown }).address;
      const port = (current as { port?: unknown }).port;
      const where = typeof address === 'string' ? ` at ${address}${typeof port === 'number' ? `:${port}` : ''}` : '';
      return `${code}${where}: ${NETWORK_ERRORS[code] ?? (typeof message === 'string' ? message : 'network error')}`;
    }
    // Fetch §2.9 "bad port": undici refuses ports such as 1, 25 or 6000 without connecting.
    if (message === 'bad port') return 'bad port: fetch refuses to connect to this port (Fetch standard "bad port" list); use another';
    if (typeof message === 'string' && message && message !== 'fetch failed') seen.push(message);
    // Happy-eyeballs failures arrive as an AggregateError of one error per address.
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return seen[0] ?? 'network error (no further detail)';
}

/** Wraps `next` so that no answer can exceed the bounds and network failures name their cause. */
export function createBoundedFetch(next: Fetch, bounds: FetchBounds = {}): Fetch {
  const timeoutMs = bounds.timeoutMs ?? DEFAULT_FETCH_BOUNDS.timeoutMs;
  const maxBytes = bounds.maxBytes ?? DEFAULT_FETCH_BOUNDS.maxBytes;
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(new StepFailure(`an answer from ${quoteUrl(url)} within ${timeoutMs / 1000} s`, 'nothing in time')), timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    let response: Response;
    try {
      response = await next(input, { ...init, signal });
    } catch (error) {
      clearTimeout(timeout);
      if (timer.signal.aborted) throw timer.signal.reason;
      if (init?.signal?.aborted || error instanceof StepFailure) throw error;
      throw new StepFailure(`an answer from ${quoteUrl(url)}`, `no answer: ${describeNetworkError(error)}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      clearTimeout(timeout);
      await response.body?.cancel().catch(() => {});
      throw new StepFailure(`a body of at most ${maxBytes} bytes from ${quoteUrl(url)}`, `Content-Length: ${declared} (HTTP ${response.status})`);
    }
    if (!response.body) {
      clearTimeout(timeout);
      return response;
    }
    // A stream stays open as long as the server keeps it; its body is bounded by size only.
    if (response.headers.get('content-type')?.includes('text/event-stream')) clearTimeout(timeout);
    const bounded = new Response(limitResponseBody(response.body, maxBytes, url, response.status, timer.signal, () => clearTimeout(timeout)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // A constructed Response has no URL; keep the one the answer came from (error messages name it).
    Object.defineProperty(bounded, 'url', { value: response.url || url });
    return bounded;
  };
}

/** A copy of `body` that errors once it grows past `maxBytes` or the deadline passes. */
function limitResponseBody(body: ReadableStream<Uint8Array>, maxBytes: number, url: string, status: number, deadline: AbortSignal, done: () => void) {
  const reader = body.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      deadline.addEventListener('abort', () => {
        controller.error(new StepFailure(`the whole body from ${quoteUrl(url)} in time`, `${total} bytes (HTTP ${status}) and still coming`));
        void reader.cancel().catch(() => {});
      }, { once: true });
    },
    async pull(controller) {
      try {
        const { done: finished, value } = await reader.read();
        if (finished) {
          done();
          controller.close();
          return;
        }
        total += value.byteLength;
        if (total > maxBytes) {
          done();
          await reader.cancel().catch(() => {});
          controller.error(new StepFailure(`a body of at most ${maxBytes} bytes from ${quoteUrl(url)}`, `more than that (HTTP ${status}); stopped reading`));
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        done();
        controller.error(deadline.aborted ? deadline.reason : new StepFailure(`the whole body from ${quoteUrl(url)}`, describeNetworkError(error)));
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}
