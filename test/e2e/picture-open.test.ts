/**
 * Issue 26: `pnpm demo --open` writes the page of the run to a temporary file and opens it with
 * the opener of `pnpm client --browser` (`$BROWSER` honoured); where no browser can be opened,
 * it prints the file's path, and the demo still exits with the journey's code.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { portFlags, runCommand } from './processes.ts';

const PAGE_TITLE = '<title>MCP authorization: the journey as a picture</title>';

describe('pnpm demo --open', () => {
  let dir: string;
  const written: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'picture-open-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    // The demo's temporary pages (left for the person to read) are this test's to remove.
    for (const path of written) rmSync(dirname(path), { recursive: true, force: true });
  });

  it('prints the path of the page when no browser can be opened, and exits with the journey\'s code', async () => {
    const ports = await freePorts();
    const result = await runCommand('demo', [...portFlags(ports), '--open'], {
      env: { NO_COLOR: '1', BROWSER: join(dir, 'no-such-browser') },
    });
    expect(result.exitCode).toBe(0);
    const match = /^demo: no browser could be opened \((.*)\)\. The page of this run is (\/\S+\.html)$/m.exec(String(result.stderr));
    expect(match, String(result.stderr)).not.toBeNull();
    expect(match![1]).toMatch(/no-such-browser: not found/);
    const path = match![2]!;
    written.push(path);
    expect(path.startsWith(tmpdir())).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain(PAGE_TITLE);
  });

  it('opens the page with $BROWSER, given its file: URL as one argument', async () => {
    const log = join(dir, 'opened.urls');
    const opener = join(dir, 'browser');
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$#" "$1" >> '${log}'\n`);
    chmodSync(opener, 0o755);
    const ports = await freePorts();
    const result = await runCommand('demo', [...portFlags(ports), '--open'], { env: { NO_COLOR: '1', BROWSER: opener } });
    expect(result.exitCode).toBe(0);
    const said = /^demo: opened the page of this run in your browser: (\/\S+\.html)$/m.exec(String(result.stderr));
    expect(said, String(result.stderr)).not.toBeNull();
    const path = said![1]!;
    written.push(path);
    const [argc, url] = readFileSync(log, 'utf8').trim().split('\n');
    expect(argc).toBe('1');
    expect(url).toMatch(/^file:\/\//);
    expect(fileURLToPath(url!)).toBe(path);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain(PAGE_TITLE);
  });

  it('opens the --html FILE when one is given, instead of a temporary file', async () => {
    const file = join(dir, 'mine.html');
    const log = join(dir, 'opened-mine.urls');
    const opener = join(dir, 'browser-mine');
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
    chmodSync(opener, 0o755);
    const ports = await freePorts();
    const result = await runCommand('demo', [...portFlags(ports), '--html', file, '--open', '--json'], { env: { NO_COLOR: '1', BROWSER: opener } });
    expect(result.exitCode).toBe(0);
    expect(fileURLToPath(readFileSync(log, 'utf8').trim())).toBe(file);
    expect(readFileSync(file, 'utf8')).toContain(PAGE_TITLE);
    // The message is for the person: stdout stays the trace, one JSON event per line.
    for (const line of String(result.stdout).split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
