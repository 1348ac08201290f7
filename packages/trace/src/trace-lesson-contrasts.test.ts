import { describe, expect, it } from 'vitest';
import type { TraceEvent } from './trace.ts';
import { formatMermaid } from './trace-diagram.ts';
import { formatTrace } from './trace-printer.ts';

const AS = 'http://localhost:9000';
let at = 0;
type Unstamped = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'at'> : never) : never;
const ev = (event: Unstamped) => ({ ...event, at: (at += 10) }) as TraceEvent;

/** A PKCE contrast as the client makes it: a decoy authorization (the set-up), then the attack at /token. */
function pkceContrast(outcome: 'refused' | 'not_refused'): TraceEvent[] {
  return [
    ev({ kind: 'step.started', party: 'client', step: 2, title: 'Authorization' }),
    ev({ kind: 'contrast.attempted', party: 'client', contrast: 'pkce', attempt: 'redeem a copied code without its verifier', threat: 'the code travels through the browser', aside: 'a decoy authorization: the journey\'s own code is never burnt' }),
    ev({ kind: 'http.request', party: 'client', id: 7, method: 'GET', url: `${AS}/authorize?client_id=c&state=s`, headers: {} }),
    ev({ kind: 'consent.auto_approved', party: 'authorization-server', client_id: 'c', client_host: 'localhost:3000', redirect_host: 'localhost:3000', redirect_elsewhere: false, sub: 'demo-user', scope: 'mcp:connect', loopback_redirects_only: true }),
    ev({ kind: 'code.issued', party: 'authorization-server', client_id: 'c', scope: 'mcp:connect', resource: 'r', expires_in: 60 }),
    ev({ kind: 'http.response', party: 'client', id: 7, status: 302, headers: { Location: 'http://localhost:3000/callback?code=x' } }),
    ev({ kind: 'http.request', party: 'client', id: 8, method: 'POST', url: `${AS}/token`, headers: {}, body: 'form: grant_type=authorization_code code_verifier=guess…' }),
    ...(outcome === 'refused'
      ? [
          ev({ kind: 'pkce.failed', party: 'authorization-server', client_id: 'c', code_verifier: 'guess…', computed_challenge: 'AAAAAAAAAAAAAAAA', stored_challenge: 'BBBB', spec: 'RFC 7636 §4.6' }),
          ev({ kind: 'request.rejected', party: 'authorization-server', method: 'POST', path: '/token', status: 400, error: 'invalid_grant', error_description: 'PKCE verification failed.' }),
          ev({ kind: 'http.response', party: 'client', id: 8, status: 400, headers: {}, body: 'error=invalid_grant: PKCE verification failed.' }),
          ev({ kind: 'contrast.refused', party: 'client', contrast: 'pkce', by: 'authorization-server', status: 400, error: 'invalid_grant', rule: 'SHA-256(code_verifier) must equal the code_challenge', spec: 'RFC 7636 §4.6' }),
        ]
      : [
          ev({ kind: 'http.response', party: 'client', id: 8, status: 200, headers: {} }),
          ev({ kind: 'contrast.not_refused', party: 'client', contrast: 'pkce', by: 'authorization-server', status: 200, received: 'an access token', rule: 'SHA-256(code_verifier) must equal the code_challenge' }),
        ]),
  ];
}

const lesson = (events: TraceEvent[]) => formatTrace(events, { color: false, detail: 'lesson' }).split('\n');
const verbose = (events: TraceEvent[]) => formatTrace(events, { color: false, detail: 'verbose' });

describe('a contrast in the lesson: the attempt, the attack request with its refusal, the rule', () => {
  it('shows the attempt, the threat and the aside, the attack request, the AS decision, the refusal', () => {
    const lines = lesson(pkceContrast('refused'));
    expect(lines).toContain('    ⚔ contrast, for real: redeem a copied code without its verifier (a decoy authorization: the journey\'s own code is');
    expect(lines).toContain('      never burnt). the code travels through the browser');
    const attack = lines.findIndex((l) => l.startsWith('    → POST http://localhost:9000/token'));
    expect(lines[attack]).toBe('    → POST http://localhost:9000/token  code + code_verifier=guess…  ← 400 invalid_grant');
    expect(lines[attack + 1]).toBe('        AS  PKCE failed: SHA-256(verifier guess…) = AAAAAAAA… ≠ challenge stored with the code  (RFC 7636 §4.6)');
    expect(lines.at(-1)).toBe('    ⛔ refused by the AS: SHA-256(code_verifier) must equal the code_challenge');
  });

  it('leaves the set-up (the decoy authorization) and the generic error line to --verbose', () => {
    const text = lesson(pkceContrast('refused')).join('\n');
    expect(text).not.toContain('/authorize');
    expect(text).not.toContain('code issued');
    expect(text).not.toContain('consent');
    expect(text).not.toContain('PKCE verification failed.\n        AS');
    const full = verbose(pkceContrast('refused'));
    expect(full).toContain('→ GET http://localhost:9000/authorize?');
    expect(full).toContain('AS  authorization code issued');
    expect(full).toContain('AS  POST /token → 400 invalid_grant: PKCE verification failed.');
  });

  it('says NOT refused, with what came back and the rule it broke, when the server let the attack through', () => {
    const lines = lesson(pkceContrast('not_refused'));
    expect(lines.slice(-2).join(' ').replace(/\s+/g, ' ')).toBe(' ✘ NOT refused by the AS: 200, an access token. The rule it broke: SHA-256(code_verifier) must equal the code_challenge');
    expect(lines.some((l) => l.startsWith('    → POST http://localhost:9000/token'))).toBe(true);
    expect(verbose(pkceContrast('not_refused'))).toContain('    ✘ NOT refused by the AS: 200, an access token\n      rule not enforced:');
  });
});

describe('the contrast events in the full wire view and the diagram', () => {
  it('prints the attempt and the refusal with their fields and citation', () => {
    const text = verbose(pkceContrast('refused'));
    expect(text).toContain('    ⚔ contrast (pkce): redeem a copied code without its verifier\n      threat: the code travels through the browser\n');
    expect(text).toContain('    ⛔ refused by the AS: 400 invalid_grant  (RFC 7636 §4.6)\n      rule: SHA-256(code_verifier) must equal the code_challenge');
  });

  it('notes the attempt over the client and the refusal over the party that refused', () => {
    const diagram = formatMermaid(pkceContrast('refused'));
    expect(diagram).toContain('Note over C: ⚔ contrast (pkce): redeem a copied code without its verifier');
    expect(diagram).toContain('Note over AS: ⛔ refused: 400 invalid_grant. SHA-256(code_verifier) must equal the code_challenge');
    expect(formatMermaid(pkceContrast('not_refused'))).toContain('Note over AS: ✘ NOT refused: 200, an access token');
  });
});
