/**
 * docs/layout.md walks one parameter, RFC 8707 `resource`, from the client's discovery to the
 * RS's `aud` check. This test keeps the walk true, so a rename, a move or a new reader of the
 * value that the page does not follow fails here:
 * - each row names a file and a symbol that file declares, in order from the client to the RS;
 * - the files of the client, the AS and the RS whose code (not comments, not string text) names
 *   `resource` are exactly the rows and the "off the way" table: no more, no fewer;
 * - a carrier hands on its object and never names `resource`;
 * - only token-profile.ts reads the profile's `audience` (the Entra relaxation);
 * - the count in bold is the number of rows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeOnly } from './support/source-code.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const layout = readFileSync(`${root}docs/layout.md`, 'utf8');
const walk = layout.slice(layout.indexOf('## One parameter, end to end'));
const rows = [...walk.matchAll(/^\| (\d+) \| `([^`]+)` \| `([^`]+)` \|/gm)].map(([, n, file, symbol]) => ({ n: Number(n), file: file!, symbol: symbol! }));
const carriers = [...walk.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| [^|]+\|$/gm)].map(([, file, carrier]) => ({ file: file!, carrier: carrier! }));
const offTheWay = [...walk.matchAll(/^\| `([^`]+)` \| [^`|][^|]*\|$/gm)].map(([, file]) => file!);

const PACKAGES = ['client', 'authorization-server', 'resource-server'];

function productionModules(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return productionModules(path);
    return entry.endsWith('.ts') && !entry.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const code = (file: string) => codeOnly(readFileSync(`${root}${file}`, 'utf8'));
const modules = PACKAGES.flatMap((pkg) => productionModules(join(root, 'packages', pkg, 'src')));

describe('the resource → aud walk in docs/layout.md', () => {
  it('has its rows, numbered in order from the client to the RS, as many as the page says', () => {
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.map((row) => row.n)).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0]!.file).toMatch(/^packages\/client\//);
    expect(rows.at(-1)!.file).toMatch(/^packages\/resource-server\//);
    expect(walk).toContain(`**${rows.length} files**`);
  });

  it.each(rows)('row $n: $file declares $symbol', ({ file, symbol }) => {
    const source = readFileSync(`${root}${file}`, 'utf8');
    expect(source).toMatch(new RegExp(`(function|interface|class|const|type)\\s+${symbol}\\b|^\\s+${symbol}\\(`, 'm'));
  });

  it('the files whose code names `resource` are exactly the rows and the ones off the way', () => {
    const naming = modules.filter((file) => /\bresource\b/.test(code(file))).sort();
    expect(naming).toEqual([...new Set([...rows.map((row) => row.file), ...offTheWay])].sort());
  });

  it.each(carriers)('$file hands on $carrier without naming resource', ({ file, carrier }) => {
    expect(code(file)).toMatch(new RegExp(`\\b${carrier}\\b`));
    expect(code(file)).not.toMatch(/\bresource\b/);
  });

  it('only token-profile.ts reads the profile\'s audience, the Entra relaxation', () => {
    const reading = modules.filter((file) => /\b(profile|tokenProfile)\.audience\b/.test(code(file)));
    expect(reading).toEqual(['packages/resource-server/src/token-profile.ts']);
  });
});
