/**
 * Free ports for tests: outside the OS's ephemeral range, so an outgoing connection elsewhere
 * cannot take one between the pick and the bind (the flake this replaced), and never repeated.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, freePorts } from './ports.ts';

const ephemeralLow = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
})();

describe('freePort', () => {
  it.runIf(ephemeralLow !== undefined)('picks below the OS ephemeral range, a different port each time', async () => {
    const picks = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(picks).size).toBe(picks.length);
    for (const port of picks) expect(port).toBeLessThan(ephemeralLow!);
  });

  it('gives a port that can be bound, and three distinct ones for a stack', async () => {
    const ports = await freePorts();
    expect(new Set(Object.values(ports)).size).toBe(3);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports.as, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

});
