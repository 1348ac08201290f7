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
import type * as Undici from 'undici';

export interface LabTrustingFetchOptions {
  /** Where a request to any other host goes (default: Node's global fetch). */
  otherwise?: typeof fetch;
}

export function createLabTrustingFetch(caPem: string, options: LabTrustingFetchOptions = {}): typeof fetch {
  const otherwise = options.otherwise ?? globalThis.fetch;
  let loaded: Promise<{ agent: Undici.Agent; fetch: typeof Undici.fetch }> | undefined;
  const load = () =>
    (loaded ??= import('undici').then((module) => {
      // undici is CommonJS: bundled (dist/), its exports arrive as the default export only.
      const { Agent, fetch } = module.Agent ? module : module.default;
      return { agent: new Agent({ connect: { ca: caPem } }), fetch };
    }));
  // Loading undici takes some 100-200 ms of one core: it starts at once, without waiting, so it
  // loads while the caller does something else (the orchestrator starts its servers). Its only
  // users are the orchestrator's client and `pnpm client --https`, which need it straight away;
  // the servers trust the CA through NODE_EXTRA_CA_CERTS instead (lab-tls.ts).
  void load().catch(() => {});
  const trusting = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!isLoopbackHost(url.hostname)) return otherwise(input, init);
    const undici = await load();
    const fromRequest: RequestInit & { duplex?: 'half' } =
      input instanceof Request
        ? { method: input.method, headers: input.headers, redirect: input.redirect, signal: input.signal, ...(input.body && { body: input.body, duplex: 'half' }) }
        : {};
    const requestInit = { ...fromRequest, ...init, dispatcher: undici.agent } as Parameters<typeof Undici.fetch>[1];
    return (await undici.fetch(url, requestInit)) as unknown as Response;
  };
  return trusting as typeof fetch;
}
