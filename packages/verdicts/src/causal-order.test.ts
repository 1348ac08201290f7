import { monotonicMicros, type TraceEvent } from '@mcp-auth-demo/trace';
import { describe, expect, it } from 'vitest';
import { inCausalOrder } from './causal-order.ts';

const at = (offsetMs: number) => monotonicMicros() + offsetMs * 1000;
const ev = (kind: TraceEvent['kind'], stamp: number) => ({ kind, party: 'resource-server', at: stamp }) as TraceEvent;

describe('events from several pipes are handed on in the order they happened', () => {
  it('sorts what arrived out of order within the window', async () => {
    const seen: string[] = [];
    const order = inCausalOrder((e) => seen.push(e.kind), 30);
    const early = at(0);
    order.push(ev('authorization.received', early + 10));
    order.push(ev('scope.insufficient', early));
    expect(seen).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(['scope.insufficient', 'authorization.received']);
  });

  it('hands on everything still held when drained', () => {
    const seen: string[] = [];
    const order = inCausalOrder((e) => seen.push(e.kind), 10_000);
    const base = at(0);
    order.push(ev('token.issued', base + 2));
    order.push(ev('token.requested', base + 1));
    order.drain();
    expect(seen).toEqual(['token.requested', 'token.issued']);
  });
});
