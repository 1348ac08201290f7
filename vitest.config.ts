import { defineConfig } from 'vitest/config';

/**
 * Two projects; `pnpm test` runs both, `pnpm test:unit` only the fast loop.
 *
 * - unit: everything in the test process. Apps are called through `app.request()` and wired
 *   with `inProcessFetch`; no child process (test/support/unit-guard.ts refuses one). A test
 *   whose subject is a socket itself (a bounded read, a loopback redirect listener) may open an
 *   OS-chosen loopback port in-process.
 * - e2e: the real processes over real HTTP on ephemeral loopback ports (test/e2e, the stack's
 *   own test, and any `*.e2e.test.ts` beside the code).
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'test/*.test.ts'],
          exclude: ['packages/stack/**', '**/*.e2e.test.ts', '**/node_modules/**'],
          setupFiles: ['test/support/unit-guard.ts'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // Bundles the entry points once, before any test runs what the user runs.
          globalSetup: ['test/support/build-once.ts'],
          include: ['test/e2e/**/*.test.ts', 'packages/stack/**/*.test.ts', 'packages/*/src/**/*.e2e.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          // Real processes on a 2-core machine shared by many: give them room.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
