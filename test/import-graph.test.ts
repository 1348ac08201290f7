/**
 * The house's boundaries, checked over every import:
 * - scripts/ and test/ reach packages only through their entry points (`@mcp-auth-demo/<pkg>`
 *   or `@mcp-auth-demo/<pkg>/testing`), never into a package's files;
 * - a package reaches another package only through its entry point too;
 * - no production module imports test support (a `testing` entry point, test/, vitest);
 * - no import circle, type-only ones included: neither between modules nor between packages
 *   (a circle is a type or a rule stored in the wrong file);
 * - the servers take from the trace package only what emitting needs, never its presentation.
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

  it('has no circle between modules, type-only imports included', () => {
    const graph = new Map<string, string[]>();
    for (const { file, specifier } of edges) {
      const target = relativeTarget(file, specifier);
      if (target === undefined || isTest(file)) continue;
      graph.set(file, [...(graph.get(file) ?? []), target]);
    }
    expect(circles(graph)).toEqual([]);
  });

  it('has no circle between packages', () => {
    const graph = new Map<string, string[]>();
    for (const { file, specifier } of edges) {
      const from = packageOf(file);
      const to = /^@mcp-auth-demo\/([^/]+)/.exec(specifier)?.[1];
      if (from && to && to !== from && !isTest(file)) graph.set(from, [...(graph.get(from) ?? []), to]);
    }
    expect(graph.get('trace')).toContain('common');
    expect(circles(graph)).toEqual([]);
  });

  it('the authorization server and the MCP server use the trace package only to emit events', () => {
    // What emitting needs: the Emit function and its sink, the event payload types, and
    // `shorten` (a secret is never traced whole). Presentation (printers, lessons) is the CLIs'.
    const EMITTING = new Set(['Emit', 'TraceSink', 'createEmitter', 'TokenClaims', 'shorten', 'stdoutSink']);
    const used = files
      .filter((file) => isProduction(file) && /^packages\/(authorization-server|resource-server)\//.test(file))
      .flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'@mcp-auth-demo\/trace'/g)]
        .flatMap((m) => m[1]!.split(',').map((name) => name.replace(/^\s*type\s+/, '').trim()).filter(Boolean).map((name) => `${file}: ${name}`)));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((entry) => !EMITTING.has(entry.split(': ')[1]!))).toEqual([]);
  });
});

/** Every circle of a directed graph (its strongly connected components of more than one node). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component = stack.splice(stack.indexOf(node));
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}
