/**
 * The fetch that trusts the lab CA explicitly, for loopback hosts only.
 *
 * A TLS client that meets the lab's certificate must be told to trust its CA. The wrong way is
 * `NODE_TLS_REJECT_UNAUTHORIZED=0`, which turns certificate checks off for every connection of
 * the process; it is never used here. Instead this fetch sends a request to a loopback host
 * (`localhost`, 127.0.0.0/8, ::1: where the lab's servers listen) through its own undici
 * `Agent` whose `connect.ca` is the lab CA alone, so such a connection succeeds only if the
 * server proves a certificate this CA signed for that name. A request to any other host goes to
 * Node's global fetch and its default trust store, as if the lab CA did not exist.
 *
 * undici's `fetch` goes with undici's `Agent` (one version; Node's bundled fetch is another and
 * must not be handed this Agent). A web `Request` passed in is taken apart into its URL and init,
 * since undici's fetch knows only its own Request class.
 */
import { isLoopbackHost } from '@mcp-auth-demo/common';
import { Agent, fetch as undiciFetch } from 'undici';

export function createLabTrustingFetch(caPem: string, otherwise: typeof fetch = globalThis.fetch): typeof fetch {
  const agent = new Agent({ connect: { ca: caPem } });
  const trusting = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!isLoopbackHost(url.hostname)) return otherwise(input, init);
    const fromRequest: RequestInit & { duplex?: 'half' } =
      input instanceof Request
        ? { method: input.method, headers: input.headers, redirect: input.redirect, signal: input.signal, ...(input.body && { body: input.body, duplex: 'half' }) }
        : {};
    const options = { ...fromRequest, ...init, dispatcher: agent } as Parameters<typeof undiciFetch>[1];
    return (await undiciFetch(url, options)) as unknown as Response;
  };
  return trusting as typeof fetch;
}
