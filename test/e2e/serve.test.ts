/**
 * `pnpm serve` end to end: the servers stay up for any MCP client, the servers' side of what
 * that client did streams live, and Ctrl-C stops everything.
 */
import { describe, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { portFlags, runCommand } from './processes.ts';

describe('pnpm serve', () => {
  it('serves an outside client, streams the servers’ decisions, and stops on Ctrl-C', async () => {
    const ports = await freePorts();
    const serve = runCommand('serve', portFlags(ports), { buffer: false, timeout: 0 });
    let output = '';
    const waiting: { text: string; resolve: () => void }[] = [];
    serve.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const w of waiting) if (output.includes(w.text)) w.resolve();
    });
    /** Resolves once serve has printed `text` (bounded by the test's timeout). */
    const printed = (text: string) =>
      new Promise<void>((resolve) => (output.includes(text) ? resolve() : waiting.push({ text, resolve })));
    try {
      await printed('Press Ctrl-C to stop.');
      const resource = `http://localhost:${ports.rs}/mcp`;
      expect(output).toContain(`Point an MCP client at ${resource}`);

      // Any MCP client: here the traced CLI, in its own process, with its own CIMD URL host.
      const client = await runCommand('client', [
        '--client-metadata-url', `http://localhost:${ports.client}/client-metadata.json`,
        '--redirect-uri', `http://localhost:${ports.client}/callback`,
        '--call', 'get_weather', '--args', '{"city":"Oslo"}',
        resource,
      ]);
      expect(client.exitCode).toBe(0);
      expect(String(client.stdout)).toContain('result from get_weather');

      // The servers' live trace showed what that client did.
      await printed('tool get_weather invoked');
      expect(output).toContain('served the client metadata document');
      expect(output).toContain('access token issued');
      expect(output).toContain('get_weather needs "mcp:connect weather:read", token has "mcp:connect"');
    } finally {
      serve.kill('SIGINT');
    }
    const result = await serve;
    expect(result.exitCode).toBe(0);
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(`MCP_DEMO_RESOURCE=http://localhost:${ports.rs}/mcp`)).toEqual([]);
  });
});

describe('no orphans, even when the orchestrator is killed outright', () => {
  it('its servers exit by themselves when it dies from SIGKILL (their stdin closes)', async () => {
    const ports = await freePorts();
    const serve = runCommand('serve', portFlags(ports), { buffer: false, timeout: 0 });
    await new Promise<void>((resolve) => {
      let output = '';
      serve.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C to stop.')) resolve();
      });
    });
    const marker = `MCP_DEMO_RESOURCE=http://localhost:${ports.rs}/mcp`;
    expect(processesWithEnv(marker)).toHaveLength(3);

    serve.kill('SIGKILL');
    await serve;
    // The servers notice on their own; wait for that (bounded by the test's timeout).
    while (processesWithEnv(marker).length > 0) await new Promise((r) => setTimeout(r, 50));
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
  });
});
