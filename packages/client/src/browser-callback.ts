/**
 * The browser user agent: for an authorization server that shows a person a login or consent
 * page. The client listens on a loopback redirect URI, shows the person the authorization URL,
 * and waits for the browser to land on its callback.
 *
 * - RFC 8252 §7.3: the redirect URI is `http://127.0.0.1:<port>/callback` on a port the OS picks
 *   when the client starts (port 0), so two clients never collide; the AS must accept any port
 *   for a loopback IP redirect. RFC 8252 §8.3: "localhost" is NOT RECOMMENDED (a name can be
 *   resolved elsewhere, and the client may listen on another interface than the browser
 *   connects to), so the IP literal is used; `[::1]` where IPv4 loopback is absent.
 * - The browser is answered only once the client has checked the redirect (`state`, `iss`) and
 *   redeemed the code: the page says what the terminal says (callback-page.ts).
 * - A browser that cannot be opened is reported at once, with the URL to paste by hand, and the
 *   client keeps waiting. `$BROWSER` is honoured (colon-separated commands, `%s` for the URL).
 */
import { terminalSafe } from '@mcp-auth-demo/trace';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_PAGE_HEADERS, renderCallbackPage } from './callback-page.ts';
import { checkBrowserUrl } from './endpoint-policy.ts';
import { StepFailure } from './step-failure.ts';
import type { AuthorizationOutcome, UserAgent } from './user-agent.ts';

export interface BrowserCallbackOptions {
  /** Loopback host of the redirect URI (default `127.0.0.1`, else `::1`). */
  host?: string;
  /** Path of the redirect URI (default `/callback`). */
  path?: string;
  /** Opens the URL in the person's browser; rejects when it cannot (default `openBrowser`). */
  open?: (url: URL) => Promise<void>;
  /** Where messages for the person go (default stderr, printed at once, outside the trace). */
  say?: (text: string) => void;
  /** How long to wait for the person (default 5 minutes). */
  timeoutMs?: number;
  /** How long the browser waits for the outcome before a neutral page (default 30 s). */
  outcomeTimeoutMs?: number;
}

export interface BrowserCallback {
  /** The redirect URI to register and send: the listener's own URL. */
  redirectUri: string;
  userAgent: UserAgent;
  close(): Promise<void>;
}

/** The commands `$BROWSER` names (colon-separated, as xdg-utils and Python's webbrowser read it). */
export function browserCommands(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string[][] {
  if (env.BROWSER) {
    return env.BROWSER.split(':').filter(Boolean).map((command) => {
      const parts = command.trim().split(/\s+/);
      return parts.some((p) => p.includes('%s')) ? parts : [...parts, '%s'];
    });
  }
  if (platform === 'darwin') return [['open', '%s']];
  // Not `explorer`, which exits with status 1 even when it opened the URL.
  if (platform === 'win32') return [['rundll32', 'url.dll,FileProtocolHandler', '%s']];
  return [['xdg-open', '%s']];
}

/**
 * Runs one opener command (no shell: the URL is one argument); rejects with why it failed.
 * An opener such as `xdg-open` exits at once; a browser named in `$BROWSER` (`firefox`) may BE
 * the browser and run until the person closes it. So: an exit with status 0 is success, a
 * failure to start or a non-zero exit within `settleMs` is failure, and a command still
 * running after `settleMs` is taken as an open browser, left running and not waited for.
 */
function run(command: string[], url: string, settleMs: number): Promise<void> {
  const [file, ...args] = command.map((part) => part.replaceAll('%s', url));
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const settled = () => {
      clearTimeout(timer);
      child.stderr!.destroy();
      child.unref();
    };
    const timer = setTimeout(() => {
      settled();
      resolve();
    }, settleMs);
    child.once('error', (error) => {
      settled();
      const code = (error as { code?: unknown }).code;
      reject(new Error(`${command[0]}: ${code === 'ENOENT' ? 'not found' : error.message}`));
    });
    child.once('exit', (code, signal) => {
      settled();
      if (code === 0) return resolve();
      const detail = stderr.trim() ? ` (${stderr.trim().split('\n')[0]})` : '';
      reject(new Error(`${command[0]}: ${code !== null ? `exit status ${code}` : `killed by ${signal}`}${detail}`));
    });
  });
}

/** Tries each opener in turn; rejects with every reason when none worked. */
export async function openBrowser(url: URL, commands = browserCommands(), settleMs = 3_000): Promise<void> {
  const reasons: string[] = [];
  for (const command of commands) {
    try {
      return await run(command, url.href, settleMs);
    } catch (error) {
      reasons.push((error as Error).message);
    }
  }
  throw new Error(reasons.join('; '));
}

async function listen(host: string | undefined, handler: Parameters<typeof createServer>[1]) {
  // RFC 8252 §7.3 / §8.3: an IP literal; IPv4 first, IPv6 loopback where IPv4 loopback is absent.
  for (const candidate of host ? [host] : ['127.0.0.1', '::1']) {
    const server = createServer(handler);
    server.listen(0, candidate);
    try {
      await once(server, 'listening');
      return { server, host: candidate };
    } catch (error) {
      if (host || candidate === '::1') throw error;
    }
  }
  throw new Error('unreachable');
}

export async function startBrowserCallback(options: BrowserCallbackOptions = {}): Promise<BrowserCallback> {
  const path = options.path ?? '/callback';
  const open = options.open ?? ((url: URL) => openBrowser(url));
  const say = options.say ?? ((text: string) => void process.stderr.write(text));
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const outcomeTimeoutMs = options.outcomeTimeoutMs ?? 30_000;
  let deliver: ((url: URL) => void) | undefined;
  /** The browser's request, held open until the outcome is known. */
  let held: { res: ServerResponse; timer: NodeJS.Timeout } | undefined;

  const answer = (res: ServerResponse, status: number, outcome: Parameters<typeof renderCallbackPage>[0]) => {
    if (!res.writableEnded) res.writeHead(status, CALLBACK_PAGE_HEADERS).end(renderCallbackPage(outcome));
  };

  const { server, host } = await listen(options.host, (req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (req.method !== 'GET' || url.pathname !== path || !deliver) {
      answer(res, 404, 'not-waiting');
      return;
    }
    const timer = setTimeout(() => {
      held = undefined;
      answer(res, 200, 'no-outcome');
    }, outcomeTimeoutMs);
    held = { res, timer };
    deliver(url);
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;

  const finish = (outcome: AuthorizationOutcome) => {
    if (!held) return;
    clearTimeout(held.timer);
    answer(held.res, outcome.ok ? 200 : 400, outcome);
    held = undefined;
  };

  const userAgent: UserAgent = Object.assign(
    async (authorizationUrl: URL) => {
      // Refused before anything is opened: the AS metadata chose this URL, not the user.
      checkBrowserUrl(authorizationUrl);
      const landed = new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => {
          deliver = undefined;
          reject(new StepFailure(`the browser to come back to ${redirectUri}`, `nothing within ${timeoutMs / 1000}s`));
        }, timeoutMs);
        deliver = (url) => {
          clearTimeout(timer);
          deliver = undefined;
          resolve(url);
        };
      });
      say(`\nWaiting for you to sign in and approve in the browser (URL below; up to ${Math.round(timeoutMs / 60_000)} min):\n\n  ${authorizationUrl.href}\n\n`);
      try {
        await open(authorizationUrl);
      } catch (error) {
        say(
          `!! Could not open a browser (${terminalSafe((error as Error).message)}).\n` +
            `!! Open the URL above in your browser yourself; the client keeps waiting.\n` +
            `!! (Set $BROWSER to the command that opens your browser.)\n\n`,
        );
      }
      return landed;
    },
    { finish },
  );

  return {
    redirectUri,
    userAgent,
    close: () =>
      new Promise<void>((resolve) => {
        if (held) finish({ ok: false, expected: 'the journey to finish', received: 'the client stopped' });
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
