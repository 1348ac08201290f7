/**
 * Issue 26 item 3: the page of `pnpm demo --scenario all --html FILE` in a real Chromium, with
 * every network request blocked. Each scenario is a section of its own; the misbehaving party
 * has its own lane (attacker), the lab's other MCP servers theirs, and what the attacker sends is
 * drawn from that lane, refused, with the rule that refused it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePorts, SCENARIOS } from '@mcp-auth-demo/stack';
import { blockAllBut, type BrowserSession, describeWithChromium, launchChromium } from '../support/chromium.ts';
import { portFlags, runCommand } from './processes.ts';

describeWithChromium('the page of pnpm demo --scenario all --html in a real Chromium, offline', () => {
  let dir: string;
  let file: string;
  let browser: BrowserSession;
  let page: Page;
  const attempted: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'picture-scenarios-'));
    file = join(dir, 'scenarios.html');
    const demo = await runCommand('demo', [...portFlags(await freePorts()), '--scenario', 'all', '--html', file], { timeout: 90_000 });
    expect(demo.exitCode).toBe(0);
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    page = await browser.newPage();
    const url = pathToFileURL(file).href;
    await blockAllBut(page, (requested) => requested === url, { attempted, errors });
    await page.goto(url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline with no console error, and draws the attacker and the other MCP servers as lanes of their own', async () => {
    await page.waitForLoadState('load');
    expect(await page.locator('svg.lanes .lane-name text').allTextContents()).toEqual([
      'user + browser', 'client', 'client-host', 'authorization server', 'MCP server', 'attacker', 'other MCP servers',
    ]);
    expect(await page.locator('section.cast li b').allTextContents()).toContain('attacker');
    expect(attempted).toEqual([]);
    expect(errors).toEqual([]);
    expect(statSync(file).size).toBeLessThan(300 * 1024);
  });

  it('has a section per scenario, each closed by its defence held', async () => {
    const titles = await page.locator('section.step > h2').allTextContents();
    expect(titles.map((t) => /^Scenario ([a-z-]+):/.exec(t)?.[1]).filter(Boolean)).toEqual(SCENARIOS.map((s) => s.name));
    expect(await page.locator('g.note.held').filter({ hasText: 'defence held' }).count()).toBe(SCENARIOS.length);
    // (A note not held is the mix-up scenario's client failing its journey on purpose: the defence.)
    expect(await page.locator('g.note').filter({ hasText: 'NOT held' }).count()).toBe(0);
  });

  it("draws the stolen code's redemption from the attacker's lane, refused, and shows its exchange and the rule", async () => {
    const section = page.locator('section.step', { hasText: 'Scenario stolen-code' });
    const attacks = section.locator('g.arrow.attack[aria-label^="attacker to authorization server: POST /token → 400"]');
    expect(await attacks.count()).toBe(2);
    const first = attacks.first();
    expect(await first.getAttribute('class')).toContain('refused');
    // The attacker's lane is the sixth: its arrow starts there, right of the MCP server's.
    const x = await first.locator('line').evaluate((l) => [Number(l.getAttribute('x1')), Number(l.getAttribute('x2'))]);
    expect(x[0]).toBeGreaterThan(x[1]!);
    await first.click();
    const panel = page.locator(`#d-${await first.getAttribute('id')}`);
    expect(await panel.isVisible()).toBe(true);
    const facts = Object.fromEntries(await panel.locator('dl > dt').evaluateAll((dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
    expect(facts).toMatchObject({ 'from → to': 'attacker → authorization server', method: 'POST', status: '400', 'sent as': 'an attack: the attempt of a contrast or scenario' });
    expect(await panel.textContent()).toMatch(/invalid_request: code_verifier is required/);

    // The second, with a code_verifier of its own: PKCE fails at the AS, the decision beside it.
    const second = attacks.nth(1);
    await second.click();
    const secondPanel = page.locator(`#d-${await second.getAttribute('id')}`);
    expect(await panel.isVisible()).toBe(false);
    expect(await secondPanel.locator('li.decision code').allTextContents()).toEqual(expect.arrayContaining(['pkce.failed', 'request.rejected']));
    expect(await secondPanel.textContent()).toMatch(/invalid_grant: code_verifier does not match the code_challenge \(RFC 7636 §4\.6\)/);
    expect(await section.locator('g.note.refused').first().textContent()).toMatch(/refused: 400 invalid_grant/);
    await browser.screenshot(page, 'picture-scenarios');
    expect(errors).toEqual([]);
  });

  it('draws the revocation the replay caused: the AS pushes it to the MCP server, as the Mermaid diagram does', async () => {
    expect(await page.locator('g.arrow[aria-label^="MCP server to authorization server: subscribe to revocation events"]').count()).toBeGreaterThanOrEqual(1);
    const section = page.locator('section.step', { hasText: 'Scenario code-replay' });
    const push = section.locator('g.arrow[aria-label^="authorization server to MCP server: push revocation SET #"]');
    expect(await push.count()).toBe(1);
    // Sent by the AS during the attack, not by the attacker.
    expect(await push.getAttribute('class')).not.toContain('attack');
    expect(await push.getAttribute('aria-label')).toMatch(/→ 202/);
    await push.click();
    const panel = page.locator(`#d-${await push.getAttribute('id')}`);
    expect(await panel.locator('li.decision code').allTextContents()).toEqual(['security_event.pushed']);
    expect(await panel.locator('li.decision .spec').textContent()).toMatch(/RFC 8935/);
    expect(errors).toEqual([]);
  });
});
