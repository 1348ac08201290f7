/**
 * The server processes start from bundles of their own (scripts/build.mjs): one file each, no
 * chunk shared with the commands, tree-shaken to what the server uses. The trace package is
 * `sideEffects: false`, so its presentation (printer, lesson, diagram, page) stays out of every
 * server, which only emits events; this is what keeps their start-up reading and compiling less.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, no types (it must run before anything is built)
import { dist, ensureBuilt } from '../../scripts/build.mjs';

const SERVERS = ['authorization-server', 'resource-server', 'client'];

describe('each server process is one bundle of what it uses', () => {
  it.each(SERVERS)('%s: imports no shared chunk and carries no trace presentation', async (pkg) => {
    await ensureBuilt();
    const bundle = readFileSync(join(dist as string, 'packages', pkg, 'src', 'serve.js'), 'utf8');
    expect(bundle).not.toMatch(/from\s*["']\.\.?\/[^"']*chunks\//);
    const traceModules = [...bundle.matchAll(/^\/\/ packages\/trace\/src\/([\w-]+)\.ts$/gm)].map((m) => m[1]);
    expect(traceModules.length).toBeGreaterThan(0);
    expect(traceModules.filter((name) => /^(picture|trace-lesson|trace-printer|trace-diagram|eras-lesson)/.test(name!))).toEqual([]);
  });
});
