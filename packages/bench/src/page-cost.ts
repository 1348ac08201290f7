/**
 * What `pnpm demo --html FILE` costs (issue 26): the size of the page of a default run, and the
 * time to draw and write it, which is what `--html` adds to the demo (the page is drawn once,
 * in the demo's own process, after the journey; the renderer is in the bundle either way).
 *
 * One real cold `pnpm demo --json --html FILE` on free ports gives both the page (its size is
 * the file that demo wrote) and the events it was drawn from. Then formatHtmlPage +
 * writeFileSync of those events are timed here: the first time (cold code, as in the demo,
 * which draws once) and the median of `repeat` more.
 */
import { formatHtmlPage, parseEventLine, type TraceEvent } from '@mcp-auth-demo/trace';
import { freePorts } from '@mcp-auth-demo/stack';
import { execa } from 'execa';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './percentile.ts';

export interface PageFigures {
  /** The page the demo wrote, in bytes. */
  bytes: number;
  /** Events it was drawn from. */
  events: number;
  /** Drawing and writing it, the first time. */
  firstMs: number;
  /** …and the median of `n` more. */
  medianMs: number;
  n: number;
}

export async function measurePage(cwd: string, repeat = 20): Promise<PageFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-page-'));
  try {
    const file = join(dir, 'demo.html');
    const ports = await freePorts();
    const result = await execa('pnpm', ['--silent', 'demo', '--json', '--html', file,
      '--as-port', String(ports.as), '--rs-port', String(ports.rs), '--client-port', String(ports.client)], {
      cwd, reject: false, timeout: 60_000, env: { NO_COLOR: '1' },
    });
    if (result.exitCode !== 0) throw new Error(`bench: pnpm demo --html exited ${result.exitCode}: ${String(result.stderr).slice(-500)}`);
    const events = String(result.stdout).split('\n').map(parseEventLine).filter((e): e is TraceEvent => e !== undefined);
    const draw = (path: string) => {
      const started = performance.now();
      writeFileSync(path, formatHtmlPage(events));
      return performance.now() - started;
    };
    const firstMs = draw(join(dir, 'first.html'));
    const times = Array.from({ length: repeat }, (_, i) => draw(join(dir, `again-${i}.html`)));
    return { bytes: statSync(file).size, events: events.length, firstMs, medianMs: percentile(times, 0.5), n: repeat };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
