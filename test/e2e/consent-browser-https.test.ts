/**
 * `pnpm demo --interactive --https` in a real Chromium (issue 29 §4): the three servers over TLS
 * with the lab CA's certificate, the person's pages on https, and a Chromium that trusts the
 * lab's leaf for its one throwaway profile only, by the line the demo prints
 * (`--ignore-certificate-errors-spki-list`). The CA is in no trust store: a Chromium without
 * that flag refuses the page. The consent cookies are `__Host-` and `Secure` (RFC 6265bis
 * §4.1.3.2), which plain http could not have.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from '../support/chromium.ts';
import { startInteractiveDemo } from './interactive-demo.ts';
import { only, parseTrace } from './processes.ts';

const caDir = join(mkdtempSync(join(tmpdir(), 'consent-https-')), 'local-ca');

async function approve(page: Page) {
  await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/), page.getByRole('button', { name: 'Approve' }).click()]);
}

describeWithChromium('pnpm demo --interactive --https in Chromium', () => {
  it('a Chromium trusting the lab leaf for its profile only: sign in, approve, step-up, approve; __Host- Secure cookies', { timeout: 120_000 }, async () => {
    const run = await startInteractiveDemo({ https: true, env: { MCP_DEMO_CA_DIR: caDir } });
    const spki = await run.printed(/--ignore-certificate-errors-spki-list=(\S+)/);
    const first = await run.authorizationUrl(1);

    // Without the flag: the lab CA is in no trust store, so the page is refused.
    const stranger = await launchChromium();
    try {
      const refused = await (await stranger.newPage()).goto(first).then(() => 'loaded', (error: Error) => error.message);
      expect(refused).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      await stranger.close();
    }

    const browser = await launchChromium({ args: [`--ignore-certificate-errors-spki-list=${spki}`] });
    try {
      const page = await browser.newPage();
      await page.goto(first);
      await page.fill('#username', 'demo-user');
      await page.fill('#password', 'demo-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
      await expect(page.locator('#client .mono').textContent()).resolves.toBe(`https://localhost:${run.ports.client}/client-metadata.json`);
      await expect(page.locator('body').textContent()).resolves.toContain(`https://localhost:${run.ports.rs}/mcp`);
      // No deviation left to name (over http the page says it came over plain http).
      await expect(page.locator('#plain-http').count()).resolves.toBe(0);
      await browser.screenshot(page, 'consent-page-https');
      const cookies = await browser.context.cookies(`https://localhost:${run.ports.as}`);
      expect(cookies.map((c) => [c.name, c.secure, c.httpOnly, c.path, c.sameSite]).sort()).toEqual([
        ['__Host-mcp_demo_as_browser', true, true, '/', 'Strict'],
        ['__Host-mcp_demo_as_session', true, true, '/', expect.any(String)],
      ]);
      await approve(page);

      await page.goto(await run.authorizationUrl(2));
      await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
      await expect(page.locator('#scopes .new').count()).resolves.toBe(1);
      await approve(page);

      const result = await run.demo;
      expect(result.exitCode, run.stderr()).toBe(0);
      const events = parseTrace(String(result.stdout));
      expect(only(events, 'consent.approved').map((e) => e.new_scopes)).toEqual([['mcp:connect'], ['weather:read']]);
      expect(only(events, 'http.request').filter((r) => !r.url.startsWith('https://'))).toEqual([]);
      expect(events.at(-1)?.kind).toBe('journey.succeeded');
    } finally {
      await browser.close();
      run.demo.kill();
    }
  });
});
