/**
 * The process stack on its own: real server processes on ephemeral ports. A server that dies
 * while the stack runs is reported with its name, and stopping leaves nothing behind.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { commandLine, isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { describe, expect, it } from 'vitest';
import { freePorts, urlsForPorts } from './ports.ts';
import { startStack } from './stack.ts';

describe('startStack', () => {
  it('reports a server that dies while running, by name, and stops the others', async () => {
    const ports = await freePorts();
    const urls = urlsForPorts(ports);
    const events: TraceEvent[] = [];
    const stack = startStack(urls, (e) => events.push(e));
    await stack.ready;
    expect(events.filter((e) => e.kind === 'server.listening').map((e) => e.party).sort()).toEqual([
      'authorization-server', 'client-host', 'resource-server',
    ]);

    const marker = `MCP_DEMO_ISSUER=${urls.issuer}`;
    const as = processesWithEnv(marker).find((pid) => commandLine(pid).includes('authorization-server/src/serve.ts'));
    expect(as).toBeDefined();
    process.kill(as!, 'SIGKILL');

    expect(await stack.died).toMatch(/^authorization-server exited \(SIGKILL\)/);
    await stack.stop();
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(marker)).toEqual([]);
  });
});
