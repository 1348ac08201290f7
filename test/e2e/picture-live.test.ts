/**
 * Issue 26: the live page of `pnpm serve` in a real Chromium. A real `pnpm serve` (three server
 * processes on ephemeral loopback ports, the page on one the OS picks) prints the page's URL; the
 * browser opens it with every request blocked but the page's own origin; then an outside client
 * (the traced CLI, in its own process) walks the journey: the diagram grows while it runs, and
 * the client's verdict card appears beside it.
 */
import { request as httpRequest } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { isListening } from '@mcp-auth-demo/stack/testing';
import { blockAllBut, type BrowserSession, describeWithChromium, launchChromium } from '../support/chromium.ts';
import { portFlags, runCommand } from './processes.ts';

/** The status of a GET to the page with this Host header (a browser could not be made to send it). */
function statusWithHost(url: URL, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: '/', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describeWithChromium('the live page of pnpm serve in a real Chromium', () => {
  let ports: Awaited<ReturnType<typeof freePorts>>;
  let serve: ReturnType<typeof runCommand>;
  let pageUrl: URL;
  let browser: BrowserSession;
  let page: Page;
  const attempted: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    ports = await freePorts();
    serve = runCommand('serve', portFlags(ports), { buffer: false, timeout: 0 });
    let output = '';
    await new Promise<void>((resolve) => {
      serve.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C to stop.')) resolve();
      });
    });
    pageUrl = new URL(/live page +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)![1]!);
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    page = await browser.newPage();
    // Only the page's own origin (the page and its event stream); anything else is aborted and recorded.
    await blockAllBut(page, (requested) => new URL(requested).origin === pageUrl.origin, { attempted, errors });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGINT');
    if (serve) expect((await serve).exitCode).toBe(0);
    if (pageUrl) expect(await isListening(Number(pageUrl.port))).toBe(false);
  });

  it('answers only to its loopback names (DNS rebinding)', async () => {
    expect(await statusWithHost(pageUrl, `attacker.example:${pageUrl.port}`)).toBe(403);
    expect(await statusWithHost(pageUrl, `localhost:${pageUrl.port}`)).toBe(200);
  });

  it('grows the diagram while a journey runs, and shows the card beside it', async () => {
    await page.goto(pageUrl.href);
    await expect.poll(() => page.locator('#status').textContent()).toBe('live');
    expect(await page.locator('#no-client').isVisible()).toBe(true);
    // Every update the page receives: how many arrows the first client's picture has then.
    await page.evaluate(() => {
      const w = window as unknown as { counts: number[] };
      w.counts = [];
      new MutationObserver(() => w.counts.push(document.querySelectorAll('section.client .arrow').length))
        .observe(document.getElementById('clients')!, { childList: true });
    });

    const client = await runCommand('client', [
      '--client-metadata-url', `http://localhost:${ports.client}/client-metadata.json`,
      '--redirect-uri', `http://localhost:${ports.client}/callback`,
      '--call', 'get_weather', '--args', '{"city":"Oslo"}',
      `http://localhost:${ports.rs}/mcp`,
    ]);
    expect(client.exitCode).toBe(0);

    const block = page.locator('section.client').first();
    await expect.poll(() => block.locator('.card tr[data-check="step-up-union"] .verdict').textContent(), { timeout: 15_000 }).toBe('pass');
    expect(await block.locator('.card tr[data-check="pkce-s256"] .verdict').textContent()).toBe('pass');
    expect(await block.locator('h2 code').textContent()).toBe(`http://localhost:${ports.client}/client-metadata.json`);
    await expect.poll(() => block.locator('.arrow[aria-label*="MCP request with a token → accepted"]').count()).toBeGreaterThanOrEqual(3);

    const counts = (await page.evaluate(() => (window as unknown as { counts: number[] }).counts)).filter((n) => n > 0);
    // It grew: more than one picture of the same journey, each with more arrows than the last.
    expect(new Set(counts).size).toBeGreaterThanOrEqual(2);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(await block.locator('svg.lanes .lane-name text').allTextContents()).toEqual([
      'user + browser', 'client', 'client-host', 'authorization server', 'MCP server',
    ]);
    await browser.screenshot(page, 'picture-live');
  });

  it('shows the exchange and decisions of a selected arrow, and keeps it selected through updates', async () => {
    const arrow = page.locator('g.arrow[aria-label*="POST /token (authorization_code)"]').first();
    const id = await arrow.getAttribute('id');
    await arrow.click();
    const panel = page.locator(`#d-${id}`);
    expect(await panel.isVisible()).toBe(true);
    expect(await panel.locator('li.decision code').allTextContents()).toEqual(expect.arrayContaining(['pkce.verified', 'token.issued']));
    expect(await panel.locator('table.claims caption').first().textContent()).toBe('decoded access token');

    // Another journey by the same client redraws its block: the selection stays.
    const sections = page.locator('section.client').first().locator('section.step');
    const before = await sections.count();
    const again = await runCommand('client', [
      '--client-metadata-url', `http://localhost:${ports.client}/client-metadata.json`,
      '--redirect-uri', `http://localhost:${ports.client}/callback`,
      `http://localhost:${ports.rs}/mcp`,
    ]);
    expect(again.exitCode).toBe(0);
    await expect.poll(() => sections.count()).toBeGreaterThan(before);
    expect(await page.locator(`#d-${id}`).isVisible()).toBe(true);
    expect(await page.locator(`g.arrow#${id}`).getAttribute('aria-pressed')).toBe('true');
    expect(attempted).toEqual([]);
    expect(errors).toEqual([]);
  });
});
