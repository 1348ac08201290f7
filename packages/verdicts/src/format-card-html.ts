/**
 * A client's card as HTML, for the live page of `pnpm serve`: the same card as the terminal's
 * (format-card.ts), one row per rule (verdict, id, evidence) and the rule under a fail or a warn.
 * Every value passes through `escapeHtml` (packages/trace picture-escape.ts: markup escaped,
 * controls and bidi overrides made visible): a client_name and the evidence it caused are
 * attacker-controlled text.
 */
import { escapeHtml } from '@mcp-auth-demo/trace';
import type { Card, Verdict } from './checks.ts';
import { tally } from './format-card.ts';

const show = escapeHtml;

const MARK: Record<Verdict, string> = { pass: '✔', fail: '✘', warn: '!', 'not-seen': '·' };

export function formatCardHtml(card: Card): string {
  const name = card.client_name ? `${show(card.client_name)} <code>${show(card.client_id)}</code>` : `<code>${show(card.client_id)}</code>`;
  const rows = card.checks.map((check) =>
    `<tr class="check ${check.verdict}" data-check="${check.id}"><td class="mark" aria-hidden="true">${MARK[check.verdict]}</td>` +
    `<td class="verdict">${check.verdict}</td><td><code>${check.id}</code><div class="evidence">${show(check.evidence)}</div>` +
    `${check.verdict === 'fail' || check.verdict === 'warn' ? `<div class="rule">rule: ${show(check.rule)}</div>` : ''}</td></tr>`);
  return `<article class="card" aria-label="client verdicts"><h3>client verdicts</h3><p class="who">${name}</p>` +
    `<p class="tally">${tally(card)}</p><table class="checks">${rows.join('')}</table></article>`;
}
