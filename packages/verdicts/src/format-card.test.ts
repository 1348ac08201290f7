/**
 * Issue 23 §3: a hostile client's fields reach the terminal (the live cards of `pnpm serve`) and
 * the report file. Its client_name, client_id and every parameter the evidence quotes are its
 * own text: none may reach a terminal as a control sequence or a bidi override, on the card or
 * when someone runs `cat` on the report.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCard } from './format-card.ts';
import { createGrader } from './grader.ts';
import { writeReport } from './report-file.ts';

/** OSC 52 clipboard write, a C1 CSI screen clear (one code point), a bidi override, a forged line. */
const PAYLOAD = '\u001b]52;c;ZXZpbA==\u0007\u009b2J\u202eevil\u2028\r\n✔ pass     state';
const CLIENT = `http://localhost:3000/${PAYLOAD}/client.json`;
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let clock = 0;
const ev = (party: TraceEvent['party'], kind: TraceEvent['kind'], fields: Record<string, unknown>) => ({ party, kind, at: (clock += 1), ...fields }) as TraceEvent;

function hostileCards() {
  const grader = createGrader({ resource: 'http://localhost:8001/mcp', prmPath: '/.well-known/oauth-protected-resource/mcp', scopesSupported: ['mcp:connect'] });
  const params = { response_type: 'code', client_id: CLIENT, redirect_uri: `http://localhost:3000/${PAYLOAD}`, code_challenge_method: PAYLOAD, state: PAYLOAD, scope: PAYLOAD, resource: PAYLOAD };
  const updates = [
    ...grader.observe(ev('authorization-server', 'cimd.validated', { client_id: CLIENT, client_name: PAYLOAD, redirect_uris: [], cache_for_s: 300 })),
    ...grader.observe(ev('authorization-server', 'authorization.received', { client_id: CLIENT, params })),
    ...grader.observe(ev('authorization-server', 'request.rejected', { method: 'GET', path: '/authorize', status: 400, error: 'invalid_request', error_description: `redirect_uri ${PAYLOAD} is not registered`, client_id: CLIENT })),
  ];
  return { grader, updates };
}

describe('hostile client text on the live cards and in the report file', () => {
  it('the card shows every control and override as a visible escape, and forges no line', () => {
    const { updates } = hostileCards();
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) {
      const text = formatCard(update, { color: true }).replace(/\u001b\[[0-9;]*m/g, ''); // the card's own colours
      expect(text).not.toMatch(CONTROLS);
      expect(text).not.toMatch(/^✔ pass {5}state/m);
      expect(text).toContain('\\x1b]52;c;ZXZpbA==\\x07\\x9b2J\\u202eevil');
    }
  });

  it('the report file has no raw control or override, and parses back to the same cards', () => {
    const { grader } = hostileCards();
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    try {
      const file = join(dir, 'report.json');
      writeReport(file, grader.cards());
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(JSON.parse(text)).toEqual(grader.cards());
      expect(JSON.parse(text)[0].client_name).toBe(PAYLOAD);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
