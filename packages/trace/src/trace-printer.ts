/**
 * The one trace printer. A pure function from events to text: it numbers the steps, indents
 * what each party did under the step that caused it, shortens nothing itself (parties shorten
 * their secrets before emitting), and colours with kleur when asked to.
 *
 *   [1] Discovery                                          ← step.started
 *       → POST http://localhost:8001/mcp                   ← the client's request
 *           RS  no access token: challenge sent            ← what a server decided meanwhile
 *       ← 401                                              ← the response
 *       client  …                                          ← what the client decided
 */
import kleur from 'kleur';
import { terminalSafe } from './terminal-safe.ts';
import type { Party, TraceEvent } from './trace.ts';
import { describe, pathOf } from './trace-describe.ts';
import { formatLesson } from './trace-lesson.ts';

export interface PrintOptions {
  /** ANSI colours (see `shouldUseColor`). */
  color: boolean;
  /**
   * `lesson` (the default of the commands): the teaching trace of trace-lesson.ts.
   * `verbose`: the full wire view, every exchange and header, a citation on every decision.
   */
  detail?: TraceDetail;
  /** Every event of the run so far, this batch included (the lesson's cast, why-lines and recap need it). */
  history?: readonly TraceEvent[];
}

export type TraceDetail = 'lesson' | 'verbose';

/** Colour only for a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const PARTY_LABEL: Record<Party, string> = {
  client: 'client',
  'authorization-server': 'AS',
  'resource-server': 'RS',
  'client-host': 'client-host',
};

/** Orders events causally (see trace.ts: one monotonic clock for every process). */
export function sortEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return [...events].sort((a, b) => a.at - b.at);
}

/** Renders events (in causal order) as the lines of the trace. */
export function formatTrace(events: readonly TraceEvent[], options: PrintOptions): string {
  kleur.enabled = options.color;
  const sorted = sortEvents(events);
  if ((options.detail ?? 'verbose') === 'lesson') return formatLesson(sorted, options.history ?? sorted).join('\n');
  const exchanges: ExchangeContext = { requests: new Map(), lastRequestId: undefined };
  return sorted.flatMap((event) => renderEvent(event, exchanges)).join('\n');
}

/** Pairs responses with requests, so a response that is not to the latest request says whose it is. */
interface ExchangeContext {
  requests: Map<number, string>;
  lastRequestId: number | undefined;
}

/** One event as printed lines: step headings flush left, client lines indented, servers deeper. */
function renderEvent(event: TraceEvent, exchanges: ExchangeContext): string[] {
  let [first = '', ...rest] = describe(event);
  if (event.kind === 'http.request') {
    exchanges.requests.set(event.id, `${event.method} ${pathOf(event.url)}`);
    exchanges.lastRequestId = event.id;
  } else if (event.kind === 'http.response' && event.id !== exchanges.lastRequestId && exchanges.requests.has(event.id)) {
    first = first.replace(/^← \d+/, (status) => `${status} (to ${exchanges.requests.get(event.id)})`);
  }
  // Issue 8 item 1: every value was chosen by some party; none reaches the terminal as a control.
  first = terminalSafe(first);
  rest = rest.map(terminalSafe);
  const cite = event.spec ? kleur.dim(`  (${terminalSafe(event.spec)})`) : '';
  switch (event.kind) {
    case 'step.started':
    case 'scenario.started':
      return ['', kleur.bold().cyan(first), ...rest];
    case 'step.finished':
      return [kleur.dim(`    ${first}`)];
    case 'journey.started':
      return [kleur.bold(first)];
    case 'journey.succeeded':
      return ['', kleur.bold().green(`✔ ${first}`)];
    case 'lesson.eras_compared':
      return ['', kleur.bold(first), ...rest.map((l) => (l.startsWith('  ') && !l.startsWith('    ') ? kleur.cyan(l) : kleur.dim(l)))];
    case 'journey.failed':
      return ['', kleur.bold().red(`✘ ${first}`), ...rest.map((l) => kleur.red(l))];
    case 'contrast.refused':
      return [`    ${kleur.bold().green(first)}${cite}`, ...rest.map((l) => `    ${l}`)];
    case 'contrast.not_refused':
      return [`    ${kleur.bold().red(first)}${cite}`, ...rest.map((l) => `    ${kleur.red(l)}`)];
    case 'http.request':
    case 'http.response':
      return [`    ${kleur.yellow(first)}${cite}`, ...rest.map((l) => `    ${kleur.dim(l)}`)];
  }
  if (event.party === 'client') {
    return [`    ${first}${cite}`, ...rest.map((l) => `    ${l}`)];
  }
  const label = kleur.magenta(PARTY_LABEL[event.party].padEnd(3));
  return [`        ${label} ${first}${cite}`, ...rest.map((l) => `            ${l}`)];
}
