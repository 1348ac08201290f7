/**
 * docs/spec-checklist.md stays true: every module and test file it names exists, every test it
 * quotes is found in the test file named before it, every rule names both, and the modules named
 * for a rule cite its section: the call site carries the rule, not only a helper elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const checklist = readFileSync(join(root, 'docs/spec-checklist.md'), 'utf8');

interface Row {
  rule: string;
  section: string;
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
      const [rule = '', section = '', enforced = '', proved = ''] = cells;
      const modules = [...enforced.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const proofs: Row['proofs'] = [];
      // A backticked test file, then the quoted titles (or table rows) of its cases.
      for (const token of proved.matchAll(/`([^`]+)`|"((?:[^"\\]|\\.)*)"/g)) {
        if (token[1] !== undefined) proofs.push({ file: token[1], titles: [] });
        else proofs.at(-1)?.titles.push(token[2]!.replace(/\\"/g, '"'));
      }
      return { rule, section, modules, proofs };
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

  it('names, for each rule, a module that cites its section', () => {
    const uncited = table.flatMap((row) => {
      const wanted = citations(row.section);
      if (wanted.length === 0) return []; // the lab's own rule: nothing to cite
      const text = row.modules.map((path) => comparable(readFileSync(join(root, path), 'utf8'))).join('\n');
      return wanted.some((cite) => text.includes(cite)) ? [] : [`${row.rule}: none of ${row.modules.join(', ')} cites ${wanted.join(' or ')}`];
    });
    expect(uncited).toEqual([]);
  });
});

/**
 * What a section cell cites, as a module would write it: `RFC 7636 §4.6`, `OAuth 2.1 §4.1.1`,
 * `CIMD §4`, `SEP-2350`, and a quoted section name (`"Step-Up Authorization Flow"`).
 */
function citations(section: string): string[] {
  return section.split(';').flatMap((part) => {
    const document = /(RFC \d+|OAuth 2\.1|CIMD)\s*(§[\d.]*\d)?/.exec(part);
    return [
      ...(document ? [document[2] ? `${document[1]} ${document[2]}` : document[1]!] : []),
      ...(part.match(/SEP-\d+/g) ?? []),
      ...[...part.matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
    ];
  });
}

/** Source text as a citation is searched in it: comment gutters and line breaks as spaces, CIMD's draft number dropped. */
function comparable(source: string): string {
  return source.replace(/\s*\n\s*(\*|\/\/)?\s*/g, ' ').replace(/CIMD (?:draft )?-0\d /g, 'CIMD ');
}
