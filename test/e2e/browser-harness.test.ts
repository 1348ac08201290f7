/**
 * Proves the shared browser harness (test/support/chromium.ts): the system Chromium starts
 * headless, loads a page from a loopback server, runs its script, submits a form, takes a
 * screenshot, and leaves no process or profile behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium, withChromium } from '../support/chromium.js';

describeWithChromium('browser harness (playwright-core + system Chromium)', () => {
  let server: Server;
  let origin: string;
  const posted: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          posted.push(body);
          res.writeHead(303, { location: '/done' }).end();
        });
        return;
      }
      const html =
        req.url === '/done'
          ? '<title>done</title><p id="result">received</p>'
          : '<title>harness</title><p id="js">no script</p><script>document.getElementById("js").textContent = "script ran";</script>' +
            '<form method="post" action="/submit"><input name="who" value="demo-user"><button>Send</button></form>';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('loads a loopback page, runs its script, posts a form and screenshots the result', async () => {
    await withChromium(async (browser) => {
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      expect(await page.title()).toBe('harness');
      expect(await page.textContent('#js')).toBe('script ran');
      await page.click('button');
      await page.waitForURL(`${origin}/done`);
      expect(await page.textContent('#result')).toBe('received');
      expect(posted).toEqual(['who=demo-user']);
      const path = await browser.screenshot(page, 'harness-self-test');
      // A PNG starts with its 8-byte signature.
      expect(readFileSync(path).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    });
  });

  it('close() ends every Chromium process of the session and removes its temporary profile', async () => {
    const browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    expect(processesMentioning(browser.profile).length).toBeGreaterThan(0);
    expect(existsSync(browser.profile)).toBe(true);
    await browser.close();
    await browser.close(); // idempotent
    expect(existsSync(browser.profile)).toBe(false);
    expect(processesMentioning(browser.profile)).toEqual([]);
  });
});

/** Pids of live processes whose command line mentions `needle` (the session's profile dir). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids;
}
