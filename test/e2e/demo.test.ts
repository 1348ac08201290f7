/**
 * `pnpm demo` end to end: three real server processes on ephemeral loopback ports, the real
 * client, real HTTP. Nothing of ours is mocked.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { only, parseTrace, portFlags, runCommand, runScript } from './processes.ts';


describe('pnpm demo', () => {
  it('walks discovery, authorization, whoami, insufficient_scope, step-up and retry', async () => {
    const ports = await freePorts();
    const result = await runCommand('demo', [...portFlags(ports), '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const events = parseTrace(String(result.stdout));
    const resource = `http://localhost:${ports.rs}/mcp`;

    // The six steps, in order (what each title says in full is the printer's business).
    expect(only(events, 'step.started').map((s) => s.title)).toEqual([
      expect.stringMatching(/^Discovery/),
      expect.stringMatching(/^Authorization/),
      expect.stringContaining('whoami'),
      expect.stringContaining('get_weather'),
      expect.stringMatching(/^Step-up.*mcp:connect weather:read/),
      expect.stringMatching(/^Retry get_weather/),
    ]);
    expect(events.at(-1)?.kind).toBe('journey.succeeded');

    // 401 (no token) → … → 403 insufficient_scope → success.
    const challenges = only(events, 'challenge.parsed');
    expect(challenges.map((c) => [c.status, c.error ?? null, c.scope])).toEqual([
      [401, null, 'mcp:connect'],
      [403, 'insufficient_scope', 'mcp:connect weather:read'],
    ]);

    // Two tokens for this resource, the first with the base scope, the second stepped up; between
    // them the audience contrast's decoy, issued for the other server (which this RS refused).
    const issued = only(events, 'token.issued');
    expect(issued.map((t) => [t.claims.aud, t.claims.scope])).toEqual([
      [resource, 'mcp:connect'],
      [`http://localhost:${ports.rs}/other/mcp`, 'mcp:connect'],
      [resource, 'mcp:connect weather:read'],
    ]);
    expect(only(events, 'contrast.refused').map((c) => [c.contrast, c.by])).toEqual([
      ['redirect_uri', 'authorization-server'], ['pkce', 'authorization-server'], ['audience', 'resource-server'],
    ]);
    expect(only(events, 'token.received').map((t) => t.claims.scope)).toEqual(['mcp:connect', 'mcp:connect weather:read']);

    // whoami answers with the caller; the retried get_weather with a forecast.
    const results = only(events, 'tool.result');
    expect(results.map((r) => [r.name, r.isError])).toEqual([['whoami', false], ['get_weather', false]]);
    expect(results[0]!.text).toContain('demo-user');
    expect(results[1]!.text).toMatch(/Paris/);

    // Every party spoke, and server decisions sit between the request and response that caused them.
    expect(new Set(events.map((e) => e.party))).toEqual(new Set(['client', 'authorization-server', 'resource-server', 'client-host']));
    const authorizeRequest = only(events, 'http.request').find((r) => r.url.includes('/authorize'))!;
    const authorizeResponse = only(events, 'http.response').find((r) => r.id === authorizeRequest.id)!;
    const inside = (e: TraceEvent) => e.at > authorizeRequest.at && e.at < authorizeResponse.at;
    expect(events.filter(inside).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['cimd.served', 'cimd.fetched', 'cimd.validated', 'code.issued']),
    );
    const sorted = [...events].sort((a, b) => a.at - b.at);
    expect(sorted).toEqual(events);

    // Nothing left behind.
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(`MCP_DEMO_RESOURCE=${resource}`)).toEqual([]);
  });

  it('runs the same journey with Dynamic Client Registration when asked (--registration dcr)', async () => {
    const ports = await freePorts();
    const result = await runCommand('demo', [...portFlags(ports), '--registration', 'dcr', '--json']);
    expect(result.exitCode).toBe(0);
    const events = parseTrace(String(result.stdout));
    expect(only(events, 'registration.chosen').map((r) => r.method)).toEqual(['dcr']);
    const [registered] = only(events, 'client.registered');
    expect(registered?.redirect_uris).toEqual([`http://localhost:${ports.client}/callback`]);
    // No metadata document is fetched: the AS knows the client from its registration.
    expect(only(events, 'cimd.fetched')).toEqual([]);
    expect(only(events, 'token.issued').map((t) => [t.claims.client_id, t.claims.scope])).toEqual([
      [registered!.client_id, 'mcp:connect'],
      [registered!.client_id, 'mcp:connect'], // the audience contrast's decoy, for the other server
      [registered!.client_id, 'mcp:connect weather:read'],
    ]);
    expect(only(events, 'contrast.refused')).toHaveLength(3);
    expect(events.at(-1)?.kind).toBe('journey.succeeded');
  });

  it('prints the lesson by default: numbered, uncoloured, at most 100 lines at 120 columns, with a recap', async () => {
    const ports = await freePorts();
    const result = await runCommand('demo', portFlags(ports));
    expect(result.exitCode).toBe(0);
    const text = String(result.stdout);
    for (const n of [1, 2, 3, 4, 5, 6]) expect(text).toMatch(new RegExp(`^\\[${n}\\] `, 'm'));
    expect(text).not.toContain('\u001b[');
    expect(text).toMatch(/^✔ Journey complete: 6 steps in \d+ ms\. What this run showed:$/m);
    expect(text).toContain('WWW-Authenticate: Bearer error="insufficient_scope"');
    // Issue 25: the defences shown holding, real requests refused by the real servers.
    expect(text.match(/^ {4}⛔ refused by the AS: /gm)).toHaveLength(2);
    expect(text.match(/^ {4}⛔ refused by the RS: /gm)).toHaveLength(1);
    expect(text).toMatch(/← 400 invalid_grant\n {8}AS {2}PKCE failed/);
    expect(text).not.toContain('NOT refused');
    // The cast names the lab's transport deviation (gone with --https: demo-https.test.ts).
    expect(text).toContain("(all over plain http on loopback, the lab's one transport deviation: --https serves them over TLS)");
    // Issue 17: the default output fits 100 terminal lines at 120 columns.
    const rows = text.trimEnd().split('\n').reduce((n, line) => n + Math.max(1, Math.ceil([...line].length / 120)), 0);
    expect(rows).toBeLessThanOrEqual(100);
  });

  it('--verbose prints the full wire view with every header and the step timings; --diagram writes the picture', async () => {
    const ports = await freePorts();
    const diagram = join(mkdtempSync(join(tmpdir(), 'mcp-demo-')), 'journey.mmd');
    const result = await runCommand('demo', [...portFlags(ports), '--verbose', '--diagram', diagram]);
    expect(result.exitCode).toBe(0);
    const text = String(result.stdout);
    expect(text).toMatch(/^✔ Journey complete: 6 steps in \d+ ms \(\[1\] \d+ ms, .*\[6\] \d+ ms\)$/m);
    expect(text).toContain('Cache-Control: no-store');
    expect(text).toContain('JSON-RPC notifications/initialized');
    expect(text).toMatch(/^ {4}done in \d+ ms$/m);
    const mermaid = readFileSync(diagram, 'utf8');
    expect(mermaid.startsWith('sequenceDiagram\n')).toBe(true);
    expect(mermaid).toContain(`Note over U,RS: [6] Retry get_weather`);
  });

  it('names the port and the remedy when a port is taken, exits 1 and leaves nothing running', async () => {
    const ports = await freePorts();
    const blocker = runScript('test/e2e/hold-port.ts', [String(ports.as)], { buffer: false, timeout: 0 });
    try {
      await firstOutput(blocker.stdout!, 'listening');
      const result = await runCommand('demo', portFlags(ports));
      expect(result.exitCode).toBe(1);
      expect(String(result.stderr)).toContain(`port ${ports.as}`);
      expect(String(result.stderr)).toContain('--as-port');
      expect(String(result.stderr)).not.toMatch(/\n\s+at /); // no stack trace
      expect(await isListening(ports.rs)).toBe(false);
      expect(await isListening(ports.client)).toBe(false);
      expect(processesWithEnv(`MCP_DEMO_RESOURCE=http://localhost:${ports.rs}/mcp`)).toEqual([]);
    } finally {
      blocker.kill('SIGKILL');
    }
  });

  it('stops every server on Ctrl-C and exits 130', async () => {
    const ports = await freePorts();
    const demo = runCommand('demo', [...portFlags(ports), '--json'], { buffer: false });
    await firstOutput(demo.stdout!, '"server.listening"');
    demo.kill('SIGINT');
    const result = await demo;
    expect(result.exitCode).toBe(130);
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(`MCP_DEMO_RESOURCE=http://localhost:${ports.rs}/mcp`)).toEqual([]);
  });
});

/** Resolves when a process first prints `text`. */
function firstOutput(stream: NodeJS.ReadableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes(text)) {
        stream.off('data', onData);
        resolve();
      }
    };
    stream.on('data', onData);
  });
}
