/**
 * `pnpm serve --report FILE` for the verdict tests: started on free ports, its cards read from
 * the report file as they are written (verdicts.test.ts, sdk-step-up-verdicts.test.ts).
 */
import type { Card, CheckId, Verdict } from '@mcp-auth-demo/verdicts';
import { freePorts } from '@mcp-auth-demo/stack';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { portFlags, runCommand } from './processes.ts';

type Serve = ReturnType<typeof runCommand>;

/** Starts `pnpm serve` with these flags (and environment) and waits until it says it is ready. */
export async function startServe(extra: string[], env: Record<string, string> = {}) {
  const ports = await freePorts();
  const report = join(mkdtempSync(join(tmpdir(), 'verdicts-')), 'report.json');
  const serve = runCommand('serve', [...portFlags(ports), '--report', report, ...extra], { buffer: false, timeout: 0, env: { NO_COLOR: '1', ...env } });
  let output = '';
  await new Promise<void>((resolve) => {
    serve.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) resolve();
    });
  });
  const scheme = extra.includes('--https') ? 'https' : 'http';
  const urls = { issuer: `${scheme}://localhost:${ports.as}`, resource: `${scheme}://localhost:${ports.rs}/mcp`, clientBase: `${scheme}://localhost:${ports.client}` };
  const read = (clientId: string) => (JSON.parse(readFileSync(report, 'utf8')) as Card[]).find((c) => c.client_id === clientId);
  /**
   * The card once the report says `until` of it: the servers' events reach `pnpm serve` through
   * pipes, a moment after the client got its answers. Bounded by the test's timeout.
   */
  const card = async (clientId: string, until: (card: Card) => boolean = () => true): Promise<Card> => {
    for (;;) {
      const found = read(clientId);
      if (found && until(found)) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { serve, urls, output: () => output, card };
}

export const settled = (id: CheckId) => (card: Card) => card.checks.find((c) => c.id === id)?.verdict !== 'not-seen';
/** Every check decided: the card of a client that went all the way, step-up included. */
export const complete = (card: Card) => card.checks.every((c) => c.verdict !== 'not-seen');

export function verdicts(card: Card): Record<CheckId, Verdict> {
  return Object.fromEntries(card.checks.map((c) => [c.id, c.verdict])) as Record<CheckId, Verdict>;
}

export async function stop(serve: Serve) {
  serve.kill('SIGINT');
  expect((await serve).exitCode).toBe(0);
}

