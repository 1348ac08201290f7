/**
 * The process stack on its own: real server processes on ephemeral ports. A server that dies
 * while the stack runs is reported with its name, and stopping leaves nothing behind; a start-up
 * option meant for one server reaches that server's environment and no other's.
 */
import { ENV } from '@mcp-auth-demo/common';
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { commandLine, environmentOf, isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { describe, expect, it } from 'vitest';
import { freePorts, urlsForPorts } from './ports.ts';
import { startStack } from './stack.ts';

const loadAtStart = `${ENV.loadMcpLayerAtStart}=1`;

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

    // By default the MCP server loads its MCP layer at its first MCP request (pnpm serve, pnpm bench).
    expect(environmentOf(stack.pids()['resource-server']!)).not.toContain(loadAtStart);

    const marker = `MCP_DEMO_ISSUER=${urls.issuer}`;
    const as = processesWithEnv(marker).find((pid) => commandLine(pid).includes('authorization-server/src/serve.ts'));
    expect(as).toBeDefined();
    process.kill(as!, 'SIGKILL');

    expect(await stack.died).toMatch(/^authorization-server exited \(SIGKILL\)/);
    await stack.stop();
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(marker)).toEqual([]);
  });

  it('tells only the MCP server to load its MCP layer at start, when asked (pnpm demo asks)', async () => {
    const stack = startStack(urlsForPorts(await freePorts()), () => {}, { loadMcpLayerAtStart: true });
    try {
      await stack.ready;
      const pids = stack.pids();
      expect(environmentOf(pids['resource-server']!)).toContain(loadAtStart);
      expect(environmentOf(pids['authorization-server']!)).not.toContain(loadAtStart);
      expect(environmentOf(pids['client-host']!)).not.toContain(loadAtStart);
    } finally {
      await stack.stop();
    }
  });
});
