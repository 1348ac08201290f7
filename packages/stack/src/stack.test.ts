/**
 * The process stack on its own: real server processes on ephemeral ports. A server that dies
 * while the stack runs is reported with its name, and stopping leaves nothing behind.
 */
import type { TraceEvent } from '@mcp-auth-demo/common';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isListening, processesWithEnv } from '../../../test/e2e/processes.ts';
import { freePorts, startStack, urlsForPorts } from './stack.ts';

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

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
    const as = processesWithEnv(marker).find((pid) => cmdline(pid).includes('authorization-server/src/serve.ts'));
    expect(as).toBeDefined();
    process.kill(as!, 'SIGKILL');

    expect(await stack.died).toMatch(/^authorization-server exited \(SIGKILL\)/);
    await stack.stop();
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(marker)).toEqual([]);
  });
});
