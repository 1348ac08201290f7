/**
 * `pnpm demo --interactive` in a real browser: the three real servers, the real client waiting on
 * its loopback callback, and Debian's Chromium (playwright-core, test/support/chromium.ts) doing
 * what a person does on the authorization server's pages. Nothing of ours is mocked.
 *
 * The demo prints each authorization URL on stderr; the test opens it in Chromium instead of the
 * system browser (BROWSER=true makes the system opener a no-op).
 *
 * Screenshots of the consent pages go to test-results/screenshots/; those in docs/consent.md come from
 * `SCREENSHOT_DIR=docs/screenshots pnpm vitest run test/e2e/consent-browser.test.ts`.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithChromium, launchChromium, type BrowserSession } from '../support/chromium.ts';
import { startInteractiveDemo } from './interactive-demo.ts';
import { only, parseTrace } from './processes.ts';


async function signIn(page: Page) {
  await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
  await page.fill('#username', 'demo-user');
  await page.fill('#password', 'demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
}

/** Clicks a consent button and waits for the browser to land on the client's loopback callback. */
async function answer(page: Page, button: 'Approve' | 'Deny') {
  await Promise.all([page.waitForURL(/^http:\/\/(localhost|127\.0\.0\.1|\[::1\]):\d+\/callback\?/), page.getByRole('button', { name: button }).click()]);
}

describeWithChromium('pnpm demo --interactive in Chromium: sign-in and consent pages', () => {
  let browser: BrowserSession | undefined;

  it('sign in, approve, step-up with the new scope marked, approve: the forecast', { timeout: 120_000 }, async () => {
    const run = await startInteractiveDemo();
    browser = await launchChromium({ viewport: { width: 900, height: 1000 } });
    try {
      const page = await browser.newPage();

      await page.goto(await run.authorizationUrl(1));
      await browser.screenshot(page, 'consent-sign-in');
      await signIn(page);
      // What the consent page must show: client_id host, redirect host, scopes in words, loopback warning.
      await expect(page.locator('#client .host').textContent()).resolves.toBe(`localhost:${run.ports.client}`);
      await expect(page.locator('#redirect .host').textContent()).resolves.toMatch(/^(localhost|127\.0\.0\.1|\[::1\]):\d+$/);
      await expect(page.locator('#loopback-warning').isVisible()).resolves.toBe(true);
      await expect(page.locator('#scopes li').allTextContents()).resolves.toEqual([expect.stringMatching(/mcp:connect\s*NEW/)]);
      await browser.screenshot(page, 'consent-page');
      await answer(page, 'Approve');

      // Step-up: the sign-in session skips the sign-in; only weather:read is new.
      await page.goto(await run.authorizationUrl(2));
      await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
      const items = await page.locator('#scopes li').allTextContents();
      expect(items).toEqual([expect.stringMatching(/mcp:connect\s*already granted/), expect.stringMatching(/weather:read\s*NEW/)]);
      await expect(page.locator('#scopes .new').count()).resolves.toBe(1);
      await browser.screenshot(page, 'consent-page-step-up');
      await answer(page, 'Approve');

      const result = await run.demo;
      expect(result.exitCode, run.stderr()).toBe(0);
      const events = parseTrace(String(result.stdout));
      expect(only(events, 'consent.approved').map((e) => e.new_scopes)).toEqual([['mcp:connect'], ['weather:read']]);
      expect(only(events, 'consent.auto_approved')).toEqual([]);
      const forecast = only(events, 'tool.result').find((r) => r.name === 'get_weather');
      expect(forecast).toMatchObject({ isError: false });
      expect(forecast!.text).toMatch(/Paris/);
      expect(events.at(-1)?.kind).toBe('journey.succeeded');
    } finally {
      await browser.close();
      run.demo.kill();
    }
  });

  it('deny: access_denied reaches the client with state and iss, and the journey stops there', { timeout: 120_000 }, async () => {
    const run = await startInteractiveDemo();
    browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(await run.authorizationUrl(1));
      await signIn(page);
      await answer(page, 'Deny');
      const callback = new URL(page.url());
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('iss')).toBe(`http://localhost:${run.ports.as}`);
      expect(callback.searchParams.get('state')).toBeTruthy();
      expect(callback.searchParams.has('code')).toBe(false);

      const result = await run.demo;
      expect(result.exitCode).toBe(1);
      const events = parseTrace(String(result.stdout));
      expect(only(events, 'consent.denied')).toHaveLength(1);
      expect(only(events, 'code.issued')).toEqual([]);
      expect(only(events, 'authorization.callback')).toEqual([expect.objectContaining({ state_matched: true, iss_matched: true })]);
      expect(only(events, 'journey.failed')[0]?.received).toMatch(/access_denied/);
    } finally {
      await browser.close();
      run.demo.kill();
    }
  });
});
