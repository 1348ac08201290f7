/**
 * docs/layout.md walks one parameter, RFC 8707 `resource`, from the client's discovery to the
 * RS's `aud` check. Each row names a file and a symbol; this test keeps every row true, so a
 * rename or a move that the walk does not follow fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const layout = readFileSync(`${root}docs/layout.md`, 'utf8');
const walk = layout.slice(layout.indexOf('## One parameter, end to end'));
const rows = [...walk.matchAll(/^\| (\d+) \| `([^`]+)` \| `([^`]+)` \|/gm)].map(([, n, file, symbol]) => ({ n: Number(n), file: file!, symbol: symbol! }));

describe('the resource → aud walk in docs/layout.md', () => {
  it('has its rows, numbered in order from the client to the RS', () => {
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.map((row) => row.n)).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0]!.file).toMatch(/^packages\/client\//);
    expect(rows.at(-1)!.file).toMatch(/^packages\/resource-server\//);
  });

  it.each(rows)('row $n: $file declares $symbol', ({ file, symbol }) => {
    const source = readFileSync(`${root}${file}`, 'utf8');
    expect(source).toMatch(new RegExp(`(function|interface|class|const|type)\\s+${symbol}\\b|^\\s+${symbol}\\(`, 'm'));
  });
});
