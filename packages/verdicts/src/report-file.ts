/**
 * `pnpm serve --report FILE`: every card as JSON, one object per client, rewritten on each
 * change. Written to a temporary file and renamed over the old one, so a reader (an editor, a
 * CI job polling it) never sees half a file.
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { Card } from './checks.ts';

export function writeReport(file: string, cards: Card[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(cards, null, 2)}\n`);
  renameSync(temporary, file);
}
