/**
 * The page of a `pnpm demo` run (`--html FILE`, `--open`): written once the trace is complete,
 * drawn by the trace's renderer (formatHtmlPage, packages/trace/src/picture-page.ts).
 *
 * `--open` writes it to FILE when `--html FILE` is given, else to a new temporary directory
 * (left in place: the person reads the page after the demo has stopped), then opens it with the
 * opener `pnpm client --browser` uses (`openBrowser`: `$BROWSER`, else xdg-open / open, no
 * shell). Where no browser can be opened it says why and prints the file's path instead; the
 * demo's exit code is the journey's either way. Messages go to stderr, outside the trace.
 */
import { openBrowser } from '@mcp-auth-demo/client';
import { formatHtmlPage, terminalSafe, type TraceEvent } from '@mcp-auth-demo/trace';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface DemoPageOptions {
  /** `--html FILE`. */
  html?: string;
  /** `--open`. */
  open: boolean;
  /** Where messages for the person go (default stderr). */
  say?: (text: string) => void;
  /** Opens a URL in the person's browser; rejects when it cannot (default `openBrowser`). */
  opener?: (url: URL) => Promise<void>;
}

/** Writes (and with `open`, opens) the page of the run; resolves to its path, if one was written. */
export async function writeDemoPage(events: readonly TraceEvent[], options: DemoPageOptions): Promise<string | undefined> {
  if (!options.html && !options.open) return undefined;
  const path = options.html ?? join(mkdtempSync(join(tmpdir(), 'mcp-auth-demo-page-')), 'journey.html');
  writeFileSync(path, formatHtmlPage(events));
  if (!options.open) return path;
  const say = options.say ?? ((text: string) => process.stderr.write(text));
  const opener = options.opener ?? ((url: URL) => openBrowser(url));
  try {
    await opener(pathToFileURL(path));
    say(`demo: opened the page of this run in your browser: ${path}\n`);
  } catch (error) {
    const why = terminalSafe(error instanceof Error ? error.message : String(error));
    say(`demo: no browser could be opened (${why}). The page of this run is ${path}\n`);
  }
  return path;
}
