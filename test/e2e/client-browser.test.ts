/**
 * `pnpm client --browser` as a person meets it (issue 18), in a real Chromium: the real
 * servers (`pnpm serve --interactive`: the AS shows its sign-in and consent pages), the real
 * client process, and a person clicking through the pages.
 *
 * The client opens the browser through `$BROWSER`; here that is a tiny script that writes the
 * URL to a file, and the test's Chromium (the "person") loads it. So the test also proves that
 * `$BROWSER` is honoured, and, with a `$BROWSER` that does not exist, that a browser which fails
 * to open is reported at once while the client keeps waiting.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { describeWithChromium, launchChromium, type BrowserSession } from '../support/chromium.ts';
import { portFlags, runCommand } from './processes.ts';

const CALLBACK = /^http:\/\/127\.0\.0\.1:\d+\/callback\?/;

describeWithChromium('pnpm client --browser in a real Chromium, against the AS sign-in and consent pages', () => {
  let ports: { as: number; rs: number; client: number };
  let serve: ReturnType<typeof runCommand>;
  let dir: string;

  beforeAll(async () => {
    ports = await freePorts();
    dir = mkdtempSync(join(tmpdir(), 'client-browser-'));
    serve = runCommand('serve', [...portFlags(ports), '--interactive'], { buffer: false, timeout: 0 });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      serve.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C to stop.')) resolve();
      });
      serve.once('exit', () => reject(new Error(`serve exited: ${output}`)));
    });
  }, 60_000);

  afterAll(async () => {
    serve?.kill('SIGINT');
    await serve;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `pnpm client --browser`; `opened()` yields each URL the client had the browser open. */
  function startClient(name: string, args: string[], browser?: string) {
    const log = join(dir, `${name}.urls`);
    const opener = join(dir, `${name}-browser`);
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
    chmodSync(opener, 0o755);
    const client = runCommand('client', [
      '--browser',
      '--client-metadata-url', `http://localhost:${ports.client}/client-metadata.json`,
      ...args,
      `http://localhost:${ports.rs}/mcp`,
    ], { env: { NO_COLOR: '1', BROWSER: browser ?? opener }, timeout: 90_000 });
    let stderr = '';
    client.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let seen = 0;
    /** The next URL handed to the browser (polls the opener's file; bounded by the test timeout). */
    const opened = async (): Promise<string> => {
      for (;;) {
        const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
        if (urls.length > seen) return urls[seen++]!;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    /** Resolves with stderr once it contains `text`. */
    const said = async (text: string | RegExp): Promise<string> => {
      for (;;) {
        if (typeof text === 'string' ? stderr.includes(text) : text.test(stderr)) return stderr;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    return { client, opened, said, stderr: () => stderr };
  }

  /** The person: signs in if asked, checks the consent page, and approves (or cancels). */
  async function act(page: Page, url: string, choice: 'approve' | 'deny', options: { newScope?: string } = {}) {
    await page.goto(url);
    if ((await page.locator('input[name=password]').count()) > 0) {
      if (choice === 'deny') return page.click('button[value=deny]');
      await page.fill('input[name=username]', 'demo-user');
      await page.fill('input[name=password]', 'demo-password');
      await page.click('button[value=sign-in]');
    }
    await page.waitForSelector(`button[value=${choice}]`);
    if (options.newScope) expect(await page.locator('.new').first().textContent()).toBeTruthy();
    await page.click(`button[value=${choice}]`);
  }

  /** Waits for the client's callback page and returns its title, text and URL. */
  async function callbackPage(page: Page) {
    await page.waitForURL(CALLBACK);
    await page.waitForSelector('#what');
    return { title: (await page.textContent('h1'))!, text: (await page.textContent('main'))! };
  }

  async function withPerson<T>(fn: (browser: BrowserSession, page: Page) => Promise<T>): Promise<T> {
    const browser = await launchChromium({ viewport: { width: 800, height: 600 } });
    try {
      return await fn(browser, await browser.newPage());
    } finally {
      await browser.close();
    }
  }

  it('success and step-up: sign in, approve, approve the new scope; the callback page says what the terminal says', async () => {
    await withPerson(async (browser, page) => {
      const run = startClient('success', ['--call', 'get_weather', '--args', '{"city":"Oslo"}']);
      // [2] Authorization: the terminal says it is waiting, with the URL, before anything happens.
      const first = await run.opened();
      expect(run.stderr()).toContain('Waiting for you to sign in and approve in the browser');
      expect(run.stderr()).toContain(first);
      await act(page, first, 'approve');
      const base = await callbackPage(page);
      expect(base.title).toContain('Signed in and approved');
      expect(base.text).toContain('mcp:connect');
      await browser.screenshot(page, 'callback-success');

      // [5] Step-up: a second authorization for the union, the new scope marked on the consent page.
      const stepUp = await run.opened();
      expect(new URL(stepUp).searchParams.get('scope')).toBe('mcp:connect weather:read');
      await act(page, stepUp, 'approve', { newScope: 'weather:read' });
      const second = await callbackPage(page);
      expect(second.title).toContain('Signed in and approved');
      expect(second.text).toContain('weather:read');

      const result = await run.client;
      expect(result.exitCode).toBe(0);
      expect(String(result.stdout)).toContain('result from get_weather');
    });
  });

  it('cancel: access_denied is shown in words with the code and description, in the browser and the terminal', async () => {
    await withPerson(async (browser, page) => {
      const run = startClient('cancel', ['--registration', 'dcr', '--call', 'whoami']);
      await act(page, await run.opened(), 'deny');
      const shown = await callbackPage(page);
      expect(shown.title).toContain('Access was not granted');
      expect(shown.text).toContain('access_denied');
      expect(shown.text).not.toContain('refused the request');
      await browser.screenshot(page, 'callback-cancel');

      const result = await run.client;
      expect(result.exitCode).toBe(1);
      expect(String(result.stdout)).toMatch(/access_denied.*access was not granted/);
      // After a DCR registration: how to reuse the client next time, bound to its issuer.
      expect(run.stderr()).toMatch(new RegExp(`--client-id \\S+ --issuer http://localhost:${ports.as}`));
    });
  });

  it('an opener that fails is reported at once with the URL, and the person can still paste it', async () => {
    await withPerson(async (_, page) => {
      const run = startClient('no-opener', ['--call', 'whoami'], '/nonexistent/browser');
      const stderr = await run.said('Could not open a browser');
      expect(stderr).toContain('/nonexistent/browser: not found');
      const url = /^\s+(http\S+\/authorize\?\S+)$/m.exec(stderr)?.[1];
      expect(url).toBeDefined();
      await act(page, url!, 'approve');
      expect((await callbackPage(page)).title).toContain('Signed in and approved');
      const result = await run.client;
      expect(result.exitCode).toBe(0);
    });
  });
});
