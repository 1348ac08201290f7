/**
 * Issue: SIGTERM or SIGKILL to the `pnpm serve` / `pnpm demo` pid (pnpm itself, which signals
 * only its own child) left the servers behind, holding the ports. Here pnpm itself is
 * signalled, and every process of the chain (pnpm, the command, the three servers) must go,
 * with every port released.
 */
import { freePorts } from '@mcp-auth-demo/stack';
import { isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { portFlags, root } from './processes.ts';

/** Starts `pnpm <command>` with a unique marker in its environment (inherited down the chain). */
async function startWithPnpm(command: 'serve' | 'demo', ready: string) {
  const ports = await freePorts();
  const marker = `MCP_DEMO_SIGNAL_TEST=${randomUUID()}`;
  const pnpm = execa('pnpm', ['--silent', command, ...portFlags(ports), ...(command === 'demo' ? ['--json'] : [])], {
    cwd: root,
    reject: false,
    buffer: false,
    env: { NO_COLOR: '1', [marker.split('=')[0]!]: marker.split('=')[1]! },
  });
  let output = '';
  await new Promise<void>((resolve) => {
    pnpm.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) resolve();
    });
  });
  return { pnpm, ports, marker };
}

async function expectNothingLeft(marker: string, ports: Record<string, number>) {
  // Bounded by the test's timeout: the chain notices and stops on its own.
  while (processesWithEnv(marker).length > 0) await new Promise((r) => setTimeout(r, 50));
  for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
}

describe('a signal to the pnpm process itself leaves no orphan holding the ports', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('pnpm serve, %s to pnpm', async (signal) => {
    const { pnpm, ports, marker } = await startWithPnpm('serve', 'Press Ctrl-C to stop.');
    expect(processesWithEnv(marker).length).toBeGreaterThanOrEqual(5); // pnpm, serve, 3 servers
    process.kill(pnpm.pid!, signal);
    await pnpm;
    await expectNothingLeft(marker, ports);
  });

  it('pnpm demo, SIGKILL to pnpm while the servers run', async () => {
    const { pnpm, ports, marker } = await startWithPnpm('demo', '"server.listening"');
    process.kill(pnpm.pid!, 'SIGKILL');
    await pnpm;
    await expectNothingLeft(marker, ports);
  });
});
