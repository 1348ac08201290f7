/**
 * `pnpm serve --report FILE`: every card as JSON, one object per client, rewritten on each
 * change. Written to a temporary file and renamed over the old one, so a reader (an editor, a
 * CI job polling it) never sees half a file.
 *
 * `createReportWriter` coalesces: a change schedules one write a moment later, so a burst of
 * events (many clients at once) costs one rewrite, not one per event.
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { Card } from './checks.ts';

/**
 * JSON as text that is safe to `cat`: JSON.stringify escapes C0 controls but leaves C1 controls
 * (U+0080-U+009F: a CSI in one code point), bidi overrides (Trojan Source) and U+2028/2029 raw,
 * and a client_name is attacker-controlled. These can only occur inside strings, where a \u
 * escape means the same value, so the file parses to the same cards.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

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
