/**
 * `pnpm screenshots`: the pictures of docs/screenshots/ that show the page of a run (issue 26),
 * taken by the tests' browser harness (test/support/chromium.ts) from a real `pnpm demo --html`
 * on free loopback ports, at 1280 px, with the POST /token arrow of step [2] selected: light,
 * then dark. A script, not a test: it writes files in the repository.
 *
 *   pnpm screenshots
 */
import { freePorts } from '@mcp-auth-demo/stack';
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from '../test/support/chromium.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs', 'screenshots');
const dir = mkdtempSync(join(tmpdir(), 'screenshot-picture-'));
const file = join(dir, 'journey.html');

try {
  const ports = await freePorts();
  await execa(process.execPath, [
    'scripts/run.mjs', 'demo', '--html', file,
    '--as-port', String(ports.as), '--rs-port', String(ports.rs), '--client-port', String(ports.client),
  ], { cwd: root, env: { NO_COLOR: '1' }, stdout: 'ignore', timeout: 60_000 });

  const browser = await launchChromium({ viewport: { width: 1280, height: 860 } });
  try {
    const page = await browser.newPage();
    const url = pathToFileURL(file).href;
    // Offline, as the tests open it: nothing but the file itself.
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const arrow = page.locator('g.arrow[aria-label*="POST /token → 200"]').first();
      await arrow.click();
      await arrow.evaluate((el) => el.closest('section.step')?.scrollIntoView({ block: 'start' }));
      const path = join(out, `picture-journey${scheme === 'dark' ? '-dark' : ''}.png`);
      await page.screenshot({ path });
      process.stdout.write(`${path}\n`);
    }
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
