/**
 * The browser user agent: for an authorization server that shows a person a login or consent
 * page. The client listens on a loopback redirect URI (RFC 8252 §7.3: a native app's redirect
 * goes to `http://127.0.0.1:<port>` or `localhost`, any port, chosen when the app starts), shows
 * the person the authorization URL, and waits for the browser to land on its callback.
 *
 * The port is the OS's choice (port 0), so two clients never collide and no fixed port is needed;
 * with CIMD, the AS accepts the port change because the registered URI is loopback
 * (RFC 8252 §7.3), and with DCR the client registers the very URI it listens on.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBrowserUrl } from './endpoint-policy.ts';
import { StepFailure } from './step-failure.ts';
import type { UserAgent } from './user-agent.ts';

export interface BrowserCallbackOptions {
  /** Loopback host of the redirect URI (default `localhost`). */
  host?: string;
  /** Path of the redirect URI (default `/callback`). */
  path?: string;
  /** Shows the authorization URL to the person (default: print it, and try the system browser). */
  open?: (url: URL) => void | Promise<void>;
  /** How long to wait for the person (default 5 minutes). */
  timeoutMs?: number;
}

export interface BrowserCallback {
  /** The redirect URI to register and send: the listener's own URL. */
  redirectUri: string;
  userAgent: UserAgent;
  close(): Promise<void>;
}

/** Prints the URL for the person and tries to open their browser; failing to open is fine. */
export function showToPerson(url: URL): void {
  process.stderr.write(`\nOpen this URL in a browser to sign in and approve:\n  ${url.href}\n\n`);
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  execFile(opener, [url.href], () => {});
}

const PAGE = (message: string) =>
  `<!doctype html><meta charset="utf-8"><title>mcp-auth-demo</title><p>${message}</p><p>You can close this window and return to the terminal.</p>`;

export async function startBrowserCallback(options: BrowserCallbackOptions = {}): Promise<BrowserCallback> {
  const host = options.host ?? 'localhost';
  const path = options.path ?? '/callback';
  const open = options.open ?? showToPerson;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  let deliver: ((url: URL) => void) | undefined;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (req.method !== 'GET' || url.pathname !== path || !deliver) {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE('Nothing is waiting for this request.'));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(PAGE(url.searchParams.has('error') ? 'The authorization server refused the request.' : 'Authorization received.'));
    deliver(url);
  });
  // Loopback only: the redirect carries a code; nobody else may be able to receive it.
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://${host}:${port}${path}`;

  const userAgent: UserAgent = async (authorizationUrl) => {
    // Refused before anything is opened: the AS metadata chose this URL, not the user.
    checkBrowserUrl(authorizationUrl);
    const landed = new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StepFailure(`the browser to come back to ${redirectUri}`, `nothing within ${timeoutMs / 1000}s`)), timeoutMs);
      deliver = (url) => {
        clearTimeout(timer);
        deliver = undefined;
        resolve(url);
      };
    });
    await open(authorizationUrl);
    return landed;
  };

  return {
    redirectUri,
    userAgent,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
