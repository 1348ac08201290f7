/** `--help` on every command prints its usage on stdout and exits 0; an unknown flag shows it on stderr. */
import { describe, expect, it } from 'vitest';
import { runCommand } from './processes.ts';

describe('usage', () => {
  it.each([
    ['serve', 'usage: pnpm serve'],
    ['demo', 'usage: pnpm demo'],
    ['client', 'usage: pnpm client'],
  ] as const)('pnpm %s --help prints the usage and exits 0', async (command, usage) => {
    const result = await runCommand(command, ['--help']);
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toContain(usage);
  });

  it('pnpm serve with an unknown flag names it and shows the usage, exit 1', async () => {
    const result = await runCommand('serve', ['--nope']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toContain("Unknown option '--nope'");
    expect(String(result.stderr)).toContain('usage: pnpm serve');
  });

  it.each(['serve', 'demo'] as const)('pnpm %s --resource with a fragment is refused before any server starts (RFC 8707 §2), exit 1, no stack trace', async (command) => {
    const result = await runCommand(command, ['--resource', 'http://localhost:38101/mcp#tools']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/--resource "http:\/\/localhost:38101\/mcp#tools" has a fragment; a resource indicator must not \(RFC 8707 §2\)/);
    expect(String(result.stderr)).not.toMatch(/\n\s+at /);
    expect(String(result.stdout)).not.toContain('listening');
  });
});
