/**
 * Issue 26: the page of `pnpm demo --html FILE` in a real Chromium, with every network request
 * blocked. A real demo (three server processes on ephemeral loopback ports, the real client)
 * writes the page; the browser opens the file and a person reads it: the cast, the six steps,
 * an arrow clicked for its exchange and decisions, the keyboard moving between steps.
 */
import { formatHtmlPage, type TraceEvent } from '@mcp-auth-demo/trace';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { isListening } from '@mcp-auth-demo/stack/testing';
import { blockAllBut, type BrowserSession, describeWithChromium, launchChromium } from '../support/chromium.ts';
import { portFlags, runCommand } from './processes.ts';

describeWithChromium('the page of pnpm demo --html in a real Chromium, offline', () => {
  let dir: string;
  let file: string;
  let browser: BrowserSession;
  /** Every request the page attempted besides its own file, and every console error or page error. */
  const attempted: string[] = [];
  const errors: string[] = [];
  /** Every alert, confirm or prompt a page opened (a hostile script that ran). */
  const dialogs: string[] = [];

  /** Opens `path` in a new tab that may fetch nothing but the file itself. */
  async function open(path: string): Promise<Page> {
    const url = pathToFileURL(path).href;
    const page = await browser.newPage();
    // Every request but the page's own file is aborted and recorded; the route sees file: URLs too.
    await blockAllBut(page, (requested) => requested === url, { attempted, errors });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'picture-browser-'));
    file = join(dir, 'run.html');
    const ports = await freePorts();
    const demo = await runCommand('demo', [...portFlags(ports), '--html', file]);
    expect(demo.stderr).toBe('');
    expect(demo.exitCode).toBe(0);
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads with no request besides the file itself and no console error, and is under 300 KB', async () => {
    const page = await open(file);
    await page.waitForLoadState('load');
    expect(await page.title()).toBe('MCP authorization: the journey as a picture');
    expect(attempted).toEqual([]);
    expect(errors).toEqual([]);
    expect(statSync(file).size).toBeLessThan(300 * 1024);
    await page.close();
  });

  it('names the cast and the six steps', async () => {
    const page = await open(file);
    expect(await page.locator('svg.lanes .lane-name text').allTextContents()).toEqual([
      'user + browser', 'client', 'client-host', 'authorization server', 'MCP server',
    ]);
    const steps = (await page.locator('section.step > h2').allTextContents()).filter((t) => /^\[\d\]/.test(t));
    expect(steps.map((t) => t.replace(/[:( ].*/, ''))).toEqual(['[1]', '[2]', '[3]', '[4]', '[5]', '[6]']);
    expect(steps[0]).toMatch(/Discovery/);
    expect(steps[4]).toMatch(/Step-up/);
    await expect.poll(() => page.locator('#empty').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the exchange (method, URL, status) and the decisions of an arrow when it is clicked', async () => {
    const page = await open(file);
    const arrow = page.locator('g.arrow[aria-label*="POST /token → 200"]').first();
    const id = await arrow.getAttribute('id');
    const panel = page.locator(`#d-${id}`);
    expect(await panel.isVisible()).toBe(false);
    await arrow.click();
    expect(await panel.isVisible()).toBe(true);
    expect(await arrow.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#empty').isVisible()).toBe(false);
    const facts = Object.fromEntries(await panel.locator('dl > dt').evaluateAll((dts) =>
      dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
    expect(facts).toMatchObject({ method: 'POST', status: '200', channel: 'back channel: a direct request' });
    expect(facts.URL).toMatch(/^http:\/\/localhost:\d+\/token$/);
    const decisions = await panel.locator('li.decision code').allTextContents();
    expect(decisions).toEqual(expect.arrayContaining(['pkce.verified', 'token.issued']));
    expect(await panel.locator('table.claims caption').first().textContent()).toBe('decoded access token');

    // Another arrow replaces it: one panel at a time.
    const challenge = page.locator('g.arrow[aria-label*="→ 401"]').first();
    await challenge.click();
    expect(await panel.isVisible()).toBe(false);
    expect(await page.locator('#details .detail:not([hidden])').count()).toBe(1);
    expect(await page.locator('#details .detail:not([hidden])').textContent()).toMatch(/WWW-Authenticate\s*Bearer/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves between steps with j and k, and between arrows with → and ←', async () => {
    const page = await open(file);
    const stepOfFocus = () => page.evaluate(() => document.activeElement?.closest('section.step')?.querySelector('h2')?.textContent ?? null);
    const selected = () => page.evaluate(() => document.querySelector('.arrow.selected')?.id ?? null);
    await page.keyboard.press('j');
    const first = await stepOfFocus();
    await page.keyboard.press('j');
    const second = await stepOfFocus();
    expect(second).not.toBe(first);
    expect(second).toMatch(/^\[\d\]/);
    await page.keyboard.press('j');
    const third = await stepOfFocus();
    await page.keyboard.press('k');
    expect(await stepOfFocus()).toBe(second);
    expect(third).not.toBe(second);

    const before = await selected();
    expect(before).not.toBeNull();
    await page.keyboard.press('ArrowRight');
    const next = await selected();
    expect(next).toBe(`a${Number(before!.slice(1)) + 1}`);
    expect(await page.locator(`#d-${next}`).isVisible()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await selected()).toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs no hostile text: a client_name and a URL made of markup stay text', async () => {
    const hostile = '</script><img src=x onerror=alert(1)>';
    const url = `http://localhost:1/mcp?q="'><svg onload=alert(2)>`;
    const events: TraceEvent[] = [
      { party: 'client', at: 1, kind: 'step.started', step: 1, title: 'Discovery' },
      { party: 'authorization-server', at: 2, kind: 'client.registered', client_id: 'c1', client_name: hostile, redirect_uris: [url] },
      { party: 'client', at: 3, kind: 'http.request', id: 1, method: 'GET', url, headers: {} },
      { party: 'client', at: 4, kind: 'http.response', id: 1, status: 400, headers: {}, body: hostile },
    ];
    const path = join(dir, 'hostile.html');
    writeFileSync(path, formatHtmlPage(events));
    const page = await open(path);
    await page.locator('g.arrow').first().click();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('svg:not(.lanes):not(.diagram)').count()).toBe(0);
    expect(await page.locator('#details .detail:not([hidden])').textContent()).toContain(hostile);
    expect(dialogs).toEqual([]);
    expect(attempted).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
