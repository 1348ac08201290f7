/**
 * The server processes start from bundles of their own (scripts/build.mjs): built one server at a
 * time, so that nothing a command shares reaches a server, tree-shaken to what the server uses.
 * The trace package is `sideEffects: false`, so its presentation (printer, lesson, diagram,
 * page) stays out of what every server loads at start, since a server only emits events; this
 * is what keeps their start-up reading and compiling less. Checked over the static imports from
 * each server's entry, chunk by chunk: what the process loads before it listens (dist/ is built
 * by the e2e project's global setup, test/support/build-once.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, no types (it must run before anything is built)
import { dist } from '../../scripts/build.mjs';

/** The entry and every file it imports statically (not `import()`), transitively. */
function staticallyLoaded(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s[^'"]*?from\s*["'](\.[^"']+)["'];?$|^import\s*["'](\.[^"']+)["'];?$/gm)) {
    staticallyLoaded(resolve(dirname(entry), (match[1] ?? match[2])!), seen);
  }
  return seen;
}

describe('each server process loads at start only what it uses', () => {
  it.each(['authorization-server', 'resource-server', 'client'])('%s: no trace presentation before it listens', (pkg) => {
    const files = [...staticallyLoaded(join(dist as string, 'packages', pkg, 'src', 'serve.js'))];
    const modules = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\/\/ packages\/trace\/src\/([\w-]+)\.ts$/gm)].map((m) => m[1]!));
    expect(modules).toContain('trace');
    expect(modules.filter((name) => /^(picture|trace-lesson|trace-printer|trace-diagram|eras-lesson)/.test(name))).toEqual([]);
  });
});
