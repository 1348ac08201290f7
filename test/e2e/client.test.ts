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
    // The cause, not Node's bare "fetch failed".
    expect(out).toMatch(/received: no answer: ECONNREFUSED at (127\.0\.0\.1|::1):\d+: connection refused/);
    expect(out).not.toContain('fetch failed');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['no URL', []],
    ['a URL that is not one', ['not a url']],
    ['--args without --call', ['--args', '{}', 'http://localhost:1/mcp']],
    ['--args that are not a JSON object', ['--call', 'x', '--args', '[1]', 'http://localhost:1/mcp']],
    ['an unknown registration', ['--registration', 'magic', 'http://localhost:1/mcp']],
    ['a URL without a scheme (localhost:1/mcp parses with the scheme "localhost:")', ['localhost:1/mcp']],
    ['a URL with a scheme other than http(s)', ['file:///etc/passwd']],
  ])('explains the usage and exits 2 for %s', async (_, args) => {
    const result = await runCommand('client', args);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('usage: pnpm client <mcp-url>');
  });
});
