/**
 * The unit project's rule, enforced: no child process. A unit test that spawns one fails with
 * this message instead of quietly making the fast loop slow; such a test belongs in test/e2e
 * (or beside its code as `*.e2e.test.ts`).
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const refuse = (name: string) => () => {
  throw new Error(`unit tests start no process (child_process.${name}); move this test to test/e2e or name it *.e2e.test.ts`);
};
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = refuse(name);
}
syncBuiltinESMExports();
