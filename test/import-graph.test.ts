/**
 * The house's boundaries, checked over every import:
 * - scripts/ and test/ reach packages only through their entry points (`@mcp-auth-demo/<pkg>`
 *   or `@mcp-auth-demo/<pkg>/testing`), never into a package's files;
 * - a package reaches another package only through its entry point too;
 * - no production module imports test support (a `testing` entry point, test/, vitest).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) found.push(...sources(path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry)) found.push(path);
  }
  return found;
}

const files = ['packages', 'scripts', 'test'].flatMap(sources);

/** Every module specifier a file imports or re-exports (static and dynamic). */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  return [...text.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The package a repository path belongs to (`packages/<name>/...`), if any. */
const packageOf = (path: string) => /^packages\/([^/]+)\//.exec(path)?.[1];
const isTest = (file: string) => /\.test\.ts$/.test(file) || file.startsWith('test/') || /^packages\/[^/]+\/testing\//.test(file);
const isProduction = (file: string) => /^packages\/[^/]+\/(src|bin)\//.test(file) && !isTest(file);

const edges = files.flatMap((file) => imports(file).map((specifier) => ({ file, specifier })));
const relativeTarget = (file: string, specifier: string) =>
  specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : undefined;

describe('the import graph', () => {
  it('is read from the whole repository (the check below is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.specifier === '@mcp-auth-demo/common')).toBe(true);
  });

  it('scripts/ and test/ use package entry points only, never a package file', () => {
    const crossings = edges.filter(({ file, specifier }) => {
      if (!file.startsWith('scripts/') && !file.startsWith('test/')) return false;
      const target = relativeTarget(file, specifier);
      if (target?.startsWith('packages/')) return true;
      return /^@mcp-auth-demo\/[^/]+\/(?!testing$)/.test(specifier);
    });
    expect(crossings).toEqual([]);
  });

  it('a package uses another package through its entry point only', () => {
    const crossings = edges.filter(({ file, specifier }) => {
      const from = packageOf(file);
      if (!from) return false;
      const target = relativeTarget(file, specifier);
      if (target !== undefined) return packageOf(target) !== from;
      return /^@mcp-auth-demo\/[^/]+\/(?!testing$)/.test(specifier);
    });
    expect(crossings).toEqual([]);
  });

  it('no production module imports test support', () => {
    const leaks = edges.filter(({ file, specifier }) => {
      if (!isProduction(file)) return false;
      const target = relativeTarget(file, specifier);
      if (target !== undefined) return isTest(target) || target.startsWith('test/');
      return specifier === 'vitest' || /^@mcp-auth-demo\/[^/]+\/testing$/.test(specifier);
    });
    expect(leaks).toEqual([]);
  });
});
