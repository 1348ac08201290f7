/**
 * `pnpm demo|serve|client`: run a command's bundle with plain node, building it first when a
 * source is newer than dist/ (scripts/build.mjs). The bundle runs in this very process, so the
 * process pnpm starts (through `exec`) is the command itself, and a signal to it is handled.
 *
 * No orphans, whichever process of the chain is signalled: pnpm passes SIGTERM and SIGINT on
 * to its child (this process, thanks to `exec`), which stops its servers. SIGKILL cannot be
 * passed on, so this process also watches its parent: once it is gone (the process has been
 * re-parented), it stops as if it had received SIGTERM. The servers in turn exit when this
 * process goes away (their stdin pipe closes; see serveApp in server-process).
 *
 *   node scripts/run.mjs <command> [args...]      e.g. node scripts/run.mjs demo --json
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dist, ensureBuilt, root } from './build.mjs';

const [command] = process.argv.splice(2, 1);
/** The package whose bin/ has this command. */
const pkg = command && readdirSync(join(root, 'packages')).find((name) => existsSync(join(root, 'packages', name, 'bin', `${command}.ts`)));
if (!pkg) {
  process.stderr.write(`run: no command ${JSON.stringify(command ?? '')} (a packages/<pkg>/bin/<command>.ts)\n`);
  process.exit(2);
}
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
}, 200);
watch.unref();

await ensureBuilt();
await import(pathToFileURL(join(dist, 'packages', pkg, 'bin', `${command}.js`)).href);
