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

  // Every usage rule is tested on parseClientArgs itself (cli.test.ts); this is the real process.
  it('explains the usage on stderr and exits 2 for a bad argument', async () => {
    const result = await runCommand('client', ['localhost:1/mcp']);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('usage: pnpm client <mcp-url>');
    expect(String(result.stderr)).toContain('did you mean http://localhost:1/mcp');
  });
});
