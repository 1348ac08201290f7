/**
 * The grader's input is hostile: any web page can send /authorize with made-up client_ids, and
 * each one is a trace event naming a client. The grader keeps a bounded number of records, and
 * a client that got a token is kept over made-up ones.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { describe, expect, it } from 'vitest';
import { MAX_GRADED_CLIENTS } from './client-record.ts';
import { createGrader } from './grader.ts';

const context = { resource: 'http://localhost:8001/mcp', prmPath: '/.well-known/oauth-protected-resource/mcp', scopesSupported: ['mcp:connect', 'weather:read'] };
const ev = (kind: TraceEvent['kind'], fields: Record<string, unknown>) => ({ party: 'authorization-server', kind, at: 0, ...fields }) as TraceEvent;
const REAL = 'http://localhost:3000/client-metadata.json';

/** A made-up client_id: the authorization request and the AS's refusal of it. */
const madeUp = (i: number) => {
  const client_id = `http://localhost:1/${i}`;
  return [
    ev('authorization.received', { client_id, params: { client_id } }),
    ev('request.rejected', { client_id, method: 'GET', path: '/authorize', status: 400, error: 'invalid_client', error_description: 'made up' }),
  ];
};

describe('a flood of made-up client_ids cannot grow the grader without bound', () => {
  it(`keeps at most ${MAX_GRADED_CLIENTS} clients, and keeps the one that got a token`, () => {
    const grader = createGrader(context);
    grader.observe(ev('authorization.received', { client_id: REAL, params: { client_id: REAL } }));
    grader.observe(ev('token.issued', { client_id: REAL, claims: { client_id: REAL, scope: 'mcp:connect', aud: context.resource }, expires_in: 600 }));
    for (let i = 0; i < 3 * MAX_GRADED_CLIENTS; i++) for (const event of madeUp(i)) grader.observe(event);
    const cards = grader.cards();
    expect(cards).toHaveLength(MAX_GRADED_CLIENTS);
    expect(cards.map((card) => card.client_id)).toContain(REAL);
    expect(cards.map((card) => card.client_id)).toContain(`http://localhost:1/${3 * MAX_GRADED_CLIENTS - 1}`);
  });
});
