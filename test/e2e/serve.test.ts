/**
 * `pnpm serve` end to end: the servers stay up for any MCP client, the servers' side of what
 * that client did streams live, and Ctrl-C stops everything.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { portFlags, runCommand } from './processes.ts';

/** Sends `CONNECT` on a raw loopback socket and returns the status line of the answer (or the socket error). */
function connectMethod(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, 'localhost');
    let received = '';
    socket.on('data', (data) => (received += data.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`socket error ${error.code}`));
    socket.on('close', () => resolve(received.split('\r\n')[0] || 'connection dropped with no answer'));
    socket.end('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  });
}

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

      // RFC 9110 §9.3.6: CONNECT gets an HTTP answer from each of the three servers, not a dropped connection.
      expect(await Promise.all([ports.as, ports.rs, ports.client].map(connectMethod))).toEqual(Array(3).fill('HTTP/1.1 405 Method Not Allowed'));

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
