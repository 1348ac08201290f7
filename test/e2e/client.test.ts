/** `pnpm client` as a user runs it: bad usage and an absent server get clear answers. */
import { describe, expect, it } from 'vitest';
import { freePort } from '@mcp-auth-demo/stack';
import { runCommand } from './processes.ts';

describe('pnpm client', () => {
  it('fails at discovery with the step, what it expected and what came back when no server listens', async () => {
    const port = await freePort();
    const result = await runCommand('client', [`http://localhost:${port}/mcp`]);
    expect(result.exitCode).toBe(1);
    const out = String(result.stdout);
    expect(out).toContain('✘ Journey failed at step [1] Discovery');
    expect(out).toMatch(/received: .*fetch failed/);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['no URL', []],
    ['a URL that is not one', ['not a url']],
    ['--args without --call', ['--args', '{}', 'http://localhost:1/mcp']],
    ['--args that are not a JSON object', ['--call', 'x', '--args', '[1]', 'http://localhost:1/mcp']],
    ['an unknown registration', ['--registration', 'magic', 'http://localhost:1/mcp']],
  ])('explains the usage and exits 2 for %s', async (_, args) => {
    const result = await runCommand('client', args);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('usage: pnpm client <mcp-url>');
  });
});
