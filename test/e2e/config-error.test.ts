/** An invalid configuration ends either server the same way: its message, no stack trace, exit 2. */
import { EXIT_INVALID_CONFIG } from '@mcp-auth-demo/common';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { root } from './processes.ts';

describe('a server with an invalid configuration', () => {
  it.each([
    ['authorization-server', 'dist/packages/authorization-server/src/serve.js', { MCP_DEMO_ISSUER: 'http://localhost:1/as?x=1' }],
    ['resource-server', 'dist/packages/resource-server/src/serve.js', { MCP_DEMO_ISSUER: 'ftp://localhost:1' }],
  ])('%s says what is wrong and exits with the one config exit code', async (party, entry, env) => {
    // The bundle the stack runs (built by the e2e global setup), as `pnpm demo` runs it.
    const result = await execa(process.execPath, [entry], { cwd: root, reject: false, timeout: 30_000, env: { NO_COLOR: '1', ...env } });
    expect(result.exitCode).toBe(EXIT_INVALID_CONFIG);
    expect(String(result.stderr)).toMatch(new RegExp(`^${party}: invalid configuration: `));
    expect(String(result.stderr)).not.toMatch(/\n\s+at /);
  });
});
