/**
 * The build: every entry point bundled with esbuild into dist/, so the commands run on plain
 * `node` (no TypeScript loader at start-up). Plain JavaScript, so that nothing has to be built
 * before the build itself can run.
 *
 * The entry points are found, not listed: every `packages/<pkg>/bin/*.ts` (the commands: demo,
 * serve, client, ...) and every `packages/<pkg>/src/serve.ts` (the server processes). esbuild
 * follows their imports, so new modules and flags need nothing here. dist/ mirrors the source
 * paths (`packages/stack/bin/demo.ts` → `dist/packages/stack/bin/demo.js`), which is how the
 * stack finds a server's bundle.
 *
 * Two builds, because the two kinds start differently. The commands share code and load parts
 * of it late (a scenario, the page), so they are split into shared chunks. A server process is
 * one file of its own: with shared chunks, a server would load every module that any command
 * shares with it through a package's index (the trace's printer, lesson and page), since esbuild
 * assigns whole modules to chunks; built alone, it is tree-shaken to what it uses (the AS 307 KB
 * instead of 484 KB, the client host 130 KB instead of 250 KB), and every server reads and
 * compiles less on its way to listening. A server's own late imports still become chunks of its
 * own, loaded when first used.
 *
 *   node scripts/build.mjs          build now (pnpm runs it on install, as `prepare`)
 *   ensureBuilt()                   build only when a source is newer than dist/ (scripts/run.mjs)
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const lock = join(root, '.dist-lock');

/** Every entry point: the commands (bin/*.ts) and the server processes (src/serve.ts). */
export function entryPoints() {
  const packages = join(root, 'packages');
  const entries = [];
  for (const name of readdirSync(packages)) {
    const bin = join(packages, name, 'bin');
    if (existsSync(bin)) for (const file of readdirSync(bin)) if (file.endsWith('.ts')) entries.push(join(bin, file));
    const serve = join(packages, name, 'src', 'serve.ts');
    if (existsSync(serve)) entries.push(serve);
  }
  return entries.map((path) => relative(root, path));
}

/** The newest modification time of anything a bundle is made from. */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && entry !== 'testing') visit(join(path, entry));
    } else if (/\.(ts|json)$/.test(path) && !path.endsWith('.test.ts')) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  visit(join(root, 'packages'));
  // The build's own recipe counts too: a changed build.mjs rebuilds.
  for (const file of ['package.json', 'pnpm-lock.yaml', 'scripts/build.mjs']) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

export function isStale() {
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestSource();
}

/**
 * Builds into a fresh directory, then swaps it in with two renames, so a command starting
 * meanwhile never finds half a dist/.
 */
export async function build() {
  const { build: esbuild } = await import('esbuild');
  const next = `${dist}.next-${process.pid}`;
  const old = `${dist}.old-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  const common = {
    absWorkingDir: root,
    outdir: next,
    outbase: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    logLevel: 'warning',
    // Some dependencies are CommonJS and call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  };
  const entries = entryPoints();
  const isServer = (entry) => entry.endsWith(join('src', 'serve.ts'));
  await Promise.all([
    esbuild({ ...common, entryPoints: entries.filter((entry) => !isServer(entry)), splitting: true, chunkNames: 'chunks/[name]-[hash]' }),
    // One build per server: its chunks are only the parts it loads late (the MCP server's SDK layer).
    ...entries.filter(isServer).map((entry) => esbuild({ ...common, entryPoints: [entry], splitting: true, chunkNames: 'chunks/[name]-[hash]' })),
  ]);
  writeFileSync(join(next, '.built'), `${new Date().toISOString()}\n`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
}

/** Builds when dist/ is missing or older than a source; one build at a time (a lock dir). */
export async function ensureBuilt() {
  if (!isStale()) return;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process builds: wait for it, then see whether its build is enough.
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
      if (!existsSync(lock) && !isStale()) return;
    }
  }
  try {
    if (isStale()) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  build().then(
    () => process.stdout.write(`built ${entryPoints().length} entry points into dist/ in ${Math.round(performance.now() - started)} ms\n`),
    (error) => {
      process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
