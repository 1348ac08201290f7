/**
 * The browser user agent on a real loopback socket: the redirect lands on the listener's own
 * URL (127.0.0.1, an OS-chosen port), the browser is answered only after the client's checks
 * with the outcome the terminal shows, an opener that fails is reported at once, and a person
 * who never comes back ends the step with a clear failure instead of a hang.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserCommands, openBrowser, startBrowserCallback } from './browser-callback.ts';
import { StepFailure } from './step-failure.ts';
import type { AuthorizationOutcome } from './user-agent.ts';

const AS = new URL('http://127.0.0.1:9/authorize?state=s1');

/** Starts a callback whose "browser" lands with `query`; returns the page once the client finished with `outcome`. */
async function landAndFinish(query: string, outcome: AuthorizationOutcome) {
  const said: string[] = [];
  let page: Promise<Response> | undefined;
  const callback = await startBrowserCallback({
    say: (text) => said.push(text),
    // The "person": their browser follows the AS's redirect to our redirect URI (not awaited: a browser waits on its own).
    open: async () => {
      page = fetch(`${callback.redirectUri}?${query}`);
    },
  });
  try {
    const url = await callback.userAgent(AS, callback.redirectUri);
    // The browser has not been answered yet: the client has not checked anything.
    const early = await Promise.race([page!.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 100))]);
    callback.userAgent.finish?.(outcome);
    const response = await page!;
    return { url, early, response, html: await response.text(), said, redirectUri: callback.redirectUri };
  } finally {
    await callback.close();
  }
}

describe('startBrowserCallback: RFC 8252 §7.3 loopback redirect, answered after the checks', () => {
  it('listens on 127.0.0.1 (an IP literal, RFC 8252 §8.3), not "localhost", and hands back the URL the browser landed on', async () => {
    const { url, redirectUri } = await landAndFinish('code=c0de&state=s1', { ok: true, issuer: 'http://127.0.0.1:9', scopes: ['mcp:connect'] });
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(url.searchParams.get('code')).toBe('c0de');
  });

  it('success before the checks: the browser is answered only after the client finished, with its outcome', async () => {
    const { early, response, html } = await landAndFinish('code=c0de&state=s1', { ok: true, issuer: 'http://127.0.0.1:9', scopes: ['mcp:connect', 'weather:read'] });
    expect(early).toBe('waiting');
    expect(response.status).toBe(200);
    expect(html).toContain('Signed in and approved');
    expect(html).toContain('mcp:connect, weather:read');
  });

  it('a forged or stale redirect (state mismatch) shows failure in the browser, as in the terminal', async () => {
    const { response, html } = await landAndFinish('code=c0de&state=forged', { ok: false, expected: 'the state we sent (RFC 6749 §10.12)', received: 'state=forged' });
    expect(response.status).toBe(400);
    expect(html).toContain('The authorization did not complete');
    expect(html).toContain('state=forged');
    expect(html).not.toContain('Signed in');
  });

  it('cancel (access_denied) is shown as what it is, with the code and the description', async () => {
    const { html } = await landAndFinish('error=access_denied&state=s1', {
      ok: false, error: 'access_denied', error_description: 'End-User aborted interaction', expected: 'an authorization code', received: 'access_denied',
    });
    expect(html).toContain('Access was not granted');
    expect(html).toContain('cancelled');
    expect(html).toContain('<dd><bdi>access_denied</bdi></dd>');
    expect(html).toContain('End-User aborted interaction');
    expect(html).not.toContain('refused the request');
  });

  it('HTML injection: an error_description from the AS is escaped', async () => {
    const { html } = await landAndFinish('error=access_denied', { ok: false, error: 'access_denied', error_description: '<script>alert(1)</script>', expected: 'x', received: 'y' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('the page runs no script, cannot be framed, is not cached and leaks no referrer (the URL carries the code)', async () => {
    const { response } = await landAndFinish('code=c', { ok: true, issuer: 'http://127.0.0.1:9', scopes: [] });
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('prints "waiting for you to sign in" with the URL when the wait starts, before the browser comes back', async () => {
    const { said } = await landAndFinish('code=c', { ok: true, issuer: 'http://127.0.0.1:9', scopes: [] });
    expect(said[0]).toContain('Waiting for you to sign in and approve in the browser');
    expect(said[0]).toContain(AS.href);
  });

  it('an opener that fails is reported at once with the URL, and the client keeps waiting', async () => {
    const said: string[] = [];
    const callback = await startBrowserCallback({
      say: (text) => said.push(text),
      open: async () => {
        throw new Error('xdg-open: not found');
      },
    });
    try {
      const waiting = callback.userAgent(AS, callback.redirectUri);
      await new Promise((r) => setTimeout(r, 50));
      expect(said.join('')).toMatch(/Could not open a browser \(xdg-open: not found\)/);
      expect(said.join('')).toContain(AS.href);
      // The person pastes the URL by hand: the landing still completes the step.
      const page = fetch(`${callback.redirectUri}?code=c0de&state=s1`);
      expect((await waiting).searchParams.get('code')).toBe('c0de');
      callback.userAgent.finish?.({ ok: true, issuer: 'http://127.0.0.1:9', scopes: [] });
      expect((await page).status).toBe(200);
    } finally {
      await callback.close();
    }
  });

  it('answers a stray request with a readable 404 page', async () => {
    const callback = await startBrowserCallback({ say: () => {}, open: async () => {} });
    try {
      const response = await fetch(`${callback.redirectUri}?code=c`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Nothing is waiting here');
    } finally {
      await callback.close();
    }
  });

  it('gives up with a StepFailure when nobody comes back in time', async () => {
    const callback = await startBrowserCallback({ open: async () => {}, say: () => {}, timeoutMs: 50 });
    try {
      const waiting = callback.userAgent(AS, callback.redirectUri);
      await expect(waiting).rejects.toBeInstanceOf(StepFailure);
      await expect(waiting).rejects.toThrow(/nothing within/);
    } finally {
      await callback.close();
    }
  });
});

describe('opening the browser: $BROWSER honoured, failures reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'browser-opener-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['$BROWSER, one command', { BROWSER: 'firefox' }, 'linux', [['firefox', '%s']]],
    ['$BROWSER, colon-separated with arguments and %s', { BROWSER: 'chromium --new-window:w3m %s' }, 'linux', [['chromium', '--new-window', '%s'], ['w3m', '%s']]],
    ['no $BROWSER on Linux', {}, 'linux', [['xdg-open', '%s']]],
    ['no $BROWSER on macOS', {}, 'darwin', [['open', '%s']]],
  ] as const)('%s', (_, env, platform, expected) => {
    expect(browserCommands(env, platform)).toEqual(expected);
  });

  it('runs the $BROWSER command with the URL as one argument (no shell)', async () => {
    const script = join(dir, 'fake-browser');
    const log = join(dir, 'opened.txt');
    writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > '${log}'\n`);
    chmodSync(script, 0o755);
    const url = new URL('https://as.example/authorize?state=a;touch%20x&b=$(id)');
    await openBrowser(url, browserCommands({ BROWSER: script }));
    expect(readFileSync(log, 'utf8')).toBe(url.href);
  });

  it('a browser command that keeps running (the browser itself) counts as opened and is not killed', async () => {
    const script = join(dir, 'long-running-browser');
    const log = join(dir, 'still-running.txt');
    writeFileSync(script, `#!/bin/sh\nsleep 1\nprintf 'alive' > '${log}'\n`);
    chmodSync(script, 0o755);
    await openBrowser(new URL('https://as.example/'), browserCommands({ BROWSER: script }), 200);
    // Resolved after the settle time, while the "browser" was still running; it goes on running.
    expect(existsSync(log)).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect(readFileSync(log, 'utf8')).toBe('alive');
  });

  it('rejects with every reason when no opener works (not found, exit status)', async () => {
    const opening = openBrowser(new URL('https://as.example/'), [['/nonexistent/browser', '%s'], ['false']]);
    await expect(opening).rejects.toThrow(/\/nonexistent\/browser: not found; false: exit status 1/);
  });
});
