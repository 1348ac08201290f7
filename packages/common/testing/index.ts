/**
 * A `fetch` that delivers each request to an in-process app by the URL's origin, with no port
 * and no socket: how the tests wire the AS, the RS and the client host together through the
 * `fetch` each of them takes in its config (hono's `app.request`, see CONTRIBUTING.md).
 * A request to any other origin fails the way a refused connection does.
 */

export interface RequestHandler {
  request: (input: string | Request | URL, init?: RequestInit) => Response | Promise<Response>;
}

export function inProcessFetch(apps: Record<string, RequestHandler>): typeof fetch {
  const byOrigin = new Map(Object.entries(apps).map(([url, app]) => [new URL(url).origin, app]));
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const app = byOrigin.get(new URL(url).origin);
    if (!app) throw new TypeError(`fetch failed: nothing listens at ${new URL(url).origin} (in-process)`);
    return app.request(input instanceof Request ? input : url, init);
  };
}
export { sendSlowly, type RawExchange, type SendSlowlyOptions } from './raw-socket.ts';
