/** `--report FILE` is rewritten once per burst of changes, not once per event (many clients at once). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReportWriter } from './report-file.ts';

afterEach(() => vi.useRealTimers());

describe('the report file is rewritten once per burst of changes', () => {
  it('a thousand changes in a row read the cards once, and flush writes what is pending', () => {
    vi.useFakeTimers();
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const file = join(dir, 'report.json');
    let reads = 0;
    const writer = createReportWriter(file, () => {
      reads += 1;
      return [];
    });
    for (let i = 0; i < 1000; i++) writer.changed();
    expect(reads).toBe(0);
    vi.runAllTimers();
    expect(reads).toBe(1);
    writer.changed();
    writer.flush();
    expect(reads).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
    writer.flush(); // nothing pending: no write
    expect(reads).toBe(2);
    rmSync(dir, { recursive: true });
  });
});
