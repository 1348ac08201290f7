/**
 * The contrasts in the lesson (contrast.* events, trace.ts): beside a step, the attack its rule
 * stops, made for real against the real servers, and the refusal.
 *
 * A contrast is a block of events: `contrast.attempted`, the requests the client made for it,
 * the servers' decisions, then `contrast.refused` (or `contrast.not_refused`). The lesson shows
 * the attempt, the one request that is the attack (the last one of the block) with the decisions
 * it caused, and the refusal; the set-up before the attack (a decoy authorization, say) is in
 * `--verbose`. The full wire view shows every event of the block.
 */
import kleur from 'kleur';
import { terminalSafe } from './terminal-safe.ts';
import type { TraceEvent } from './trace.ts';
import { PARTY_NAMES } from './trace-describe.ts';
import { wrap } from './trace-lesson-text.ts';

const isOutcome = (e: TraceEvent) => e.kind === 'contrast.refused' || e.kind === 'contrast.not_refused';

/**
 * The events of this batch that are a contrast's set-up, which the lesson leaves to --verbose
 * (`hidden`), and the request ids of the attacks, whose answer the lesson puts on their line.
 */
export function contrastSetup(events: readonly TraceEvent[]): { hidden: Set<TraceEvent>; attacks: Set<number> } {
  const hidden = new Set<TraceEvent>();
  const attacks = new Set<number>();
  let start: number | undefined;
  events.forEach((event, index) => {
    if (event.kind === 'contrast.attempted') start = index;
    if (start === undefined || !isOutcome(event)) return;
    const block = events.slice(start + 1, index);
    start = undefined;
    let attack = -1;
    block.forEach((e, i) => { if (e.kind === 'http.request') attack = i; });
    const request = block[attack];
    if (request?.kind === 'http.request') attacks.add(request.id);
    const answer = (e: TraceEvent) => e.kind === 'http.response' && request?.kind === 'http.request' && e.id === request.id;
    // The server's own decision says more than its generic error line; the error line stays when it is all there is.
    const decided = block.some((e, i) => i > attack && e.party !== 'client' && e.kind !== 'request.rejected');
    block.forEach((e, i) => {
      const setUp = i < attack;
      const clientAfter = i > attack && e.party === 'client' && !answer(e);
      if (setUp || clientAfter || (i > attack && decided && e.kind === 'request.rejected')) hidden.add(e);
    });
  });
  return { hidden, attacks };
}

/** An attack's answer, short: the status and the error code (the refusal line says the rule). */
export function attackAnswer(response: Extract<TraceEvent, { kind: 'http.response' }>): string {
  const error = /error="([^"]*)"/.exec(response.headers['WWW-Authenticate'] ?? '')?.[1] ?? /^error=([^:\s]+)/.exec(response.body ?? '')?.[1];
  return `← ${response.status}${error ? ` ${error}` : ''}`;
}

/** The lesson's lines for a contrast event; undefined for any other kind. */
export function contrastLesson(event: TraceEvent): string[] | undefined {
  const lines = (text: string) => wrap(terminalSafe(text), '      ', '    ');
  switch (event.kind) {
    case 'contrast.attempted':
      return lines(`⚔ contrast, for real: ${event.attempt}${event.aside ? ` (${event.aside})` : ''}. ${event.threat}`).map((l) => kleur.bold(l));
    case 'contrast.refused':
      return lines(`⛔ refused by ${PARTY_NAMES[event.by]}: ${event.rule}`).map((l) => kleur.green(l));
    case 'contrast.not_refused':
      return lines(`✘ NOT refused by ${PARTY_NAMES[event.by]}: ${event.status}, ${event.received}. The rule it broke: ${event.rule}`)
        .map((l) => kleur.bold().red(l));
    default:
      return undefined;
  }
}
