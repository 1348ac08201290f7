/**
 * Every module header names only what exists: a function (or method, constant, option) it
 * names in camelCase is found in the code of the workspace, comments left out, and every file
 * it names (`x.ts`) is one of the workspace's files. A header is the first thing a reader
 * trusts; a renamed check must take its header along.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Names a header may give that are no code of ours, each with its reason. */
const NOT_OURS: Record<string, string> = {
  globSync: "node:fs, Node 22 only: why the conformance suite's CLI needs Node 22 (scripts/conformance.ts)",
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const sources = ['packages', 'scripts', 'test'].flatMap((dir) => walk(join(root, dir))).filter((f) => /\.(ts|mjs)$/.test(f));
/** Production modules: everything under packages/ and scripts/ that is not a test. */
const modules = sources.filter((f) => !relative(root, f).startsWith('test') && !/\.test\.ts$/.test(f));

/** The module's header: its first block comment, when the file opens with one. */
function header(source: string): string {
  return /^\s*\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
}

/** Source text with its comments removed (strings kept: a name may be a key or an event). */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The camelCase identifiers a header names; of `a.b`, the member `b`. */
export function namedIdentifiers(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?<![\w$.-])(?:[A-Za-z_$][\w$]*\.)?([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)\b(?![.-]\w)/g)) found.add(m[1]!);
  return [...found];
}

/** The file names (`trace-printer.ts`) a header names. */
export function namedFiles(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w/.*-])((?:[\w-]+\/)*\w[\w.-]*\.(?:ts|mjs))\b/g)].map((m) => basename(m[1]!)))];
}

describe('module headers', () => {
  const allCode = sources.map((f) => code(readFileSync(f, 'utf8'))).join('\n');
  const words = new Set(allCode.match(/[A-Za-z_$][\w$]*/g));
  const fileNames = new Set(sources.map((f) => basename(f)));

  it('name only functions that exist', () => {
    const missing = modules.flatMap((file) =>
      namedIdentifiers(header(readFileSync(file, 'utf8')))
        .filter((name) => !words.has(name) && !(name in NOT_OURS))
        .map((name) => `${relative(root, file)}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('name only files that exist', () => {
    const missing = modules.flatMap((file) =>
      namedFiles(header(readFileSync(file, 'utf8')))
        .filter((name) => !fileNames.has(name) && !fileNames.has(name.replace(/\.ts$/, '.mjs')))
        .map((name) => `${relative(root, file)}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('are read as they are written', () => {
    const sample = ' *   checkClient -> redeemCode -> codes.redeem; `createMcpHandler`; see trace-printer.ts and packages/a/b.ts, 2025-11-25\n';
    expect(namedIdentifiers(sample)).toEqual(['checkClient', 'redeemCode', 'createMcpHandler']);
    expect(namedFiles(sample)).toEqual(['trace-printer.ts', 'b.ts']);
    expect(header('/**\n * A header.\n */\nimport x;\n/** not a header */')).toContain('A header.');
  });
});
