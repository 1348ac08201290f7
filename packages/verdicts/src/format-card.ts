/**
 * A card for people: the client, then one line per rule (verdict, id, evidence), and on a later
 * card only what changed. Every value that came from a client passes through the trace's own
 * neutraliser first: a client_name is attacker-controlled text on someone's terminal.
 */
import { terminalSafe as visible } from '@mcp-auth-demo/trace';
import kleur from 'kleur';
import type { Card, CardChange, CheckResult, Verdict } from './checks.ts';
import type { ServerCard, ServerCheckResult } from './server/server-checks.ts';
import type { CardUpdate } from './grader.ts';

const MARK: Record<Verdict, string> = { pass: '✔', fail: '✘', warn: '!', 'not-seen': '·' };

function paint(verdict: Verdict, text: string, color: boolean): string {
  if (!color) return text;
  const k = kleur;
  return verdict === 'pass' ? k.green(text) : verdict === 'fail' ? k.red(text) : verdict === 'warn' ? k.yellow(text) : k.gray(text);
}

/** `3 pass, 1 fail, 0 warn, 10 not seen`. */
export function tally(card: { checks: readonly { verdict: Verdict }[] }): string {
  const count = (v: Verdict) => card.checks.filter((c) => c.verdict === v).length;
  return `${count('pass')} pass, ${count('fail')} fail, ${count('warn')} warn, ${count('not-seen')} not seen`;
}

function changeLine(change: CardChange): string {
  return `${change.id}: ${change.from} → ${change.to}`;
}

export function formatCard(update: CardUpdate, options: { color: boolean }): string {
  const { card } = update;
  const who = card.client_name ? `${visible(card.client_name)} (${visible(card.client_id)})` : visible(card.client_id);
  const lines = [`┌ client verdicts: ${who}`, `│ ${tally(card)}`];
  if (!update.first) {
    lines.push(update.changes.length === 0 ? '│ unchanged since its last authorization' : `│ changed since its last authorization: ${update.changes.map(changeLine).join('; ')}`);
  }
  lines.push(...checkLines(card.checks, options.color), '└');
  return `${lines.join('\n')}\n`;
}

/** One line per check (verdict, id, evidence), and the rule under a fail or a warn. */
function checkLines(checks: readonly (CheckResult | ServerCheckResult)[], color: boolean): string[] {
  return checks.flatMap((check) => [
    `│ ${paint(check.verdict, `${MARK[check.verdict]} ${check.verdict.padEnd(8)} ${check.id.padEnd(22)}`, color)} ${visible(check.evidence)}`,
    ...(check.verdict === 'fail' || check.verdict === 'warn' ? [`│ ${' '.repeat(33)}rule: ${check.rule}`] : []),
  ]);
}

/** The server card of `pnpm client URL --grade`, shaped like a client's card. */
export function formatServerCard(card: ServerCard, options: { color: boolean }): string {
  return `${[`┌ server verdicts: ${visible(card.server)}`, `│ ${tally(card)}`, ...checkLines(card.checks, options.color), '└'].join('\n')}\n`;
}
