/**
 * docs/spec-checklist.md stays true: every module and test file it names exists, every test it
 * quotes is found in the test file named before it, and every rule names both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const checklist = readFileSync(join(root, 'docs/spec-checklist.md'), 'utf8');

interface Row {
  rule: string;
  modules: string[];
  proofs: { file: string; titles: string[] }[];
}

/** The table rows: | rule | section | enforced in | proved by |. */
function rows(): Row[] {
  return checklist
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Rule |'))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
      const [rule = '', , enforced = '', proved = ''] = cells;
      const modules = [...enforced.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const proofs: Row['proofs'] = [];
      // A backticked test file, then the quoted titles (or table rows) of its cases.
      for (const token of proved.matchAll(/`([^`]+)`|"((?:[^"\\]|\\.)*)"/g)) {
        if (token[1] !== undefined) proofs.push({ file: token[1], titles: [] });
        else proofs.at(-1)?.titles.push(token[2]!.replace(/\\"/g, '"'));
      }
      return { rule, modules, proofs };
    });
}

describe('docs/spec-checklist.md', () => {
  const table = rows();

  it('lists rules, each with the module that enforces it and a named test that proves it', () => {
    expect(table.length).toBeGreaterThan(30);
    for (const row of table) {
      expect(row.modules, row.rule).not.toEqual([]);
      expect(row.proofs, row.rule).not.toEqual([]);
      for (const proof of row.proofs) expect(proof.titles, `${row.rule}: ${proof.file}`).not.toEqual([]);
    }
  });

  it('names modules that exist, and production modules, not tests', () => {
    const missing = table.flatMap((row) => row.modules).filter((path) => !existsSync(join(root, path)) || path.endsWith('.test.ts'));
    expect(missing).toEqual([]);
  });

  it('names test files that exist, and each quoted test is in the file named before it', () => {
    const problems: string[] = [];
    for (const { file, titles } of table.flatMap((row) => row.proofs)) {
      if (!file.endsWith('.test.ts') || !existsSync(join(root, file))) {
        problems.push(`${file}: no such test file`);
        continue;
      }
      const source = readFileSync(join(root, file), 'utf8');
      for (const title of titles) if (!source.includes(title)) problems.push(`${file}: no test "${title}"`);
    }
    expect(problems).toEqual([]);
  });
});
