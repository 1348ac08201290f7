/**
 * The shared real-browser harness: playwright-core driving the system's Chromium (Debian's
 * `chromium` package; no browser is downloaded at install time).
 *
 * - `CHROMIUM_PATH` overrides the executable (default `/usr/bin/chromium`).
 * - Every launch gets a fresh temporary profile (`--user-data-dir`), removed on close, so no
 *   cookie, cache or consent survives from one test to the next.
 * - When Chromium is absent, `describeWithChromium` fails loudly under `CI=true` (CI installs
 *   it, so its absence is a broken set-up) and skips locally with the command that installs it.
 * - Screenshots go to `SCREENSHOT_DIR` when set (the images in docs/ are regenerated that way),
 *   else to `test-results/screenshots/` (ignored by git).
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const installHint =
  'install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium or Chrome executable';

/** Flags for a quiet, headless, self-contained run: no sandbox (containers), no GPU, no
 *  background traffic to Google (tests talk only to loopback), no first-run UI. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why Chromium cannot be used here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  try {
    accessSync(chromiumPath, constants.X_OK);
    return undefined;
  } catch {
    return `Chromium not found at ${chromiumPath}: ${installHint}`;
  }
}

/**
 * `describe` for tests that need a real browser. Without Chromium: under CI=true the suite
 * fails with the reason; locally it is skipped, with the reason printed once.
 */
export function describeWithChromium(name: string, body: () => void): void {
  const missing = chromiumMissing();
  if (missing === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium (CI installs it in .ci/run)', () => {
        throw new Error(missing);
      });
    });
  } else {
    console.warn(`[browser tests skipped] ${name}: ${missing}`);
    describe.skip(name, body);
  }
}

export interface BrowserSession {
  readonly context: BrowserContext;
  /** The temporary profile directory (`--user-data-dir`), removed by close(). */
  readonly profile: string;
  /** A new tab. */
  newPage(): Promise<Page>;
  /** Saves a full-page PNG named `<name>.png`; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Closes the browser and removes its profile. Safe to call twice. */
  close(): Promise<void>;
}

export async function launchChromium(options: { viewport?: { width: number; height: number }; args?: string[] } = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'mcp-auth-demo-chromium-'));
  let context: BrowserContext;
  try {
    // launchPersistentContext is Playwright's way to pass --user-data-dir: a fresh directory.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      // Extra flags apply to this session's throwaway profile only (e.g. the lab leaf's SPKI for --https).
      args: [...chromiumArgs, ...(options.args ?? [])],
      viewport: options.viewport ?? { width: 900, height: 700 },
      timeout: 30_000,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  const screenshotDir = resolve(root, process.env.SCREENSHOT_DIR || 'test-results/screenshots');
  return {
    context,
    profile,
    newPage: () => context.newPage(),
    async screenshot(page, name) {
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

/** Runs `fn` with a browser that is closed (and its profile removed) whatever happens. */
export async function withChromium<T>(fn: (session: BrowserSession) => Promise<T>): Promise<T> {
  const session = await launchChromium();
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/**
 * A page cut off from everything but what `allowed` admits: every other request is aborted and
 * its URL recorded in `attempted`; console errors and uncaught page errors go to `errors`.
 * What the offline-page tests assert on: nothing attempted, nothing in error.
 */
export async function blockAllBut(page: Page, allowed: (url: string) => boolean, seen: { attempted: string[]; errors: string[] }): Promise<void> {
  await page.route('**/*', (route) => (allowed(route.request().url()) ? route.continue() : route.abort()));
  page.on('request', (request) => {
    if (!allowed(request.url())) seen.attempted.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(String(error)));
}
