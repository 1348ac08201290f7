/**
 * The card of the live page (issue 26): the same verdicts as the terminal card, and a hostile
 * client's text (its client_name, client_id and every parameter the evidence quotes) only as text.
 */
import { describe, expect, it } from 'vitest';
import type { Card } from './checks.ts';
import { formatCardHtml } from './format-card-html.ts';

const HOSTILE = '<img src=x onerror=alert(1)>"\u202eevil';

const card: Card = {
  client_id: `http://localhost:3000/${HOSTILE}`,
  client_name: HOSTILE,
  checks: [
    { id: 'pkce-s256', verdict: 'pass', evidence: 'code_challenge_method=S256', rule: 'S256 (OAuth 2.1 §4.1.1)' },
    { id: 'state', verdict: 'fail', evidence: `state=${HOSTILE}`, rule: 'an unguessable state (RFC 9700 §4.7)' },
    { id: 'token-audience', verdict: 'not-seen', evidence: 'no token presented yet', rule: 'aud = this server' },
  ],
};

describe('the card as HTML', () => {
  const html = formatCardHtml(card);

  it('has a row per rule with its verdict, and the rule under a fail only', () => {
    expect([...html.matchAll(/<tr class="check ([^"]+)" data-check="([^"]+)"/g)].map((m) => [m[2], m[1]])).toEqual([
      ['pkce-s256', 'pass'], ['state', 'fail'], ['token-audience', 'not-seen'],
    ]);
    expect(html.match(/class="rule"/g)).toHaveLength(1);
    expect(html).toContain('rule: an unguessable state (RFC 9700 §4.7)');
    expect(html).toContain('1 pass, 1 fail, 0 warn, 1 not seen');
  });

  it('shows hostile text escaped, with its bidi override made visible', () => {
    expect(html).not.toMatch(/<img|\u202e/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;\\u202eevil');
  });
});
