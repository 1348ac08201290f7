/**
 * `pnpm serve --report FILE`: every card as JSON, one object per client, rewritten on each
 * change. Written to a temporary file and renamed over the old one, so a reader (an editor, a
 * CI job polling it) never sees half a file.
 *
 * `createReportWriter` coalesces: a change schedules one write a moment later, so a burst of
 * events (many clients at once) costs one rewrite, not one per event.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { terminalSafeJson } from '@mcp-auth-demo/trace';
import type { Card } from './checks.ts';

export function writeReport(file: string, cards: Card[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${terminalSafeJson(cards)}\n`);
  renameSync(temporary, file);
}

export interface ReportWriter {
  /** Something on a card changed: the file is rewritten soon (once, however many changes come). */
  changed(): void;
  /** Writes now if a write is pending (on exit). */
  flush(): void;
}

export function createReportWriter(file: string, cards: () => Card[], delayMs = 250): ReportWriter {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writeReport(file, cards());
  };
  return {
    changed: () => {
      timer ??= setTimeout(write, delayMs);
      timer.unref?.();
    },
    flush: () => {
      if (timer) write();
    },
  };
}
