/**
 * What the lesson leaves to --verbose, so the default run reads in about 100 lines: lines that
 * repeat what an earlier step showed, and lines about plumbing rather than authorization.
 *
 * - A step-up repeats the authorization of step [2]: only what differs is shown (the wider
 *   scope, the consent for the new scope, the new token); PKCE, the redirect, the code and its
 *   redemption are the same as before.
 * - The MCP revision the RS detected for each request (the client's own line names the revision).
 * - "tool invoked" (the result that follows says it), a 403's parsed challenge (the RS line and
 *   the header say it), the RS's line for a 401 to a request without a token (the 401 line says it).
 * - A token the RS accepted before, accepted again in a later step.
 * - The RS's subscription to revocation events at start-up: a line of the cast says it.
 */
import type { TraceEvent } from './trace.ts';
import { stepTopic } from './trace-teaching.ts';

type Of<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

/** In a step-up, the kinds that repeat step [2]'s authorization unchanged. */
const REPEATED_IN_STEP_UP = new Set<TraceEvent['kind']>([
  'pkce.generated', 'authorization.callback', 'code.issued', 'pkce.verified', 'refresh.decided', 'cimd.fetched', 'cimd.validated', 'cimd.cache_hit',
]);

const sameClaims = (a: Of<'token.accepted'>, b: Of<'token.accepted'>) => JSON.stringify(a.claims) === JSON.stringify(b.claims);

/** True when the lesson leaves this event of the batch to --verbose. */
export function quietInLesson(event: TraceEvent, batch: readonly TraceEvent[], history: readonly TraceEvent[]): boolean {
  const stepUp = inStepUp(event, history);
  switch (event.kind) {
    case 'mcp.era_detected':
    case 'tool.invoked':
      return true;
    case 'challenge.parsed':
      return event.status === 403;
    case 'request.rejected':
      return event.status === 401 && event.www_authenticate !== undefined && !/error=/.test(event.www_authenticate);
    case 'http.response':
      // The step-up's redirect back carries a code like step [2]'s: the consent line said what changed.
      return stepUp && event.status >= 300 && event.status < 400 && event.headers.Location !== undefined;
    case 'revocation.subscribed':
    case 'revocation_channel.live':
      // The subscription made at start-up (the stack waits for it): the cast says it, before step [1].
      return batch.some((e) => e.kind === 'journey.started') && !history.slice(0, history.indexOf(event)).some(startsAStep);
    case 'token.accepted': {
      const before = history.slice(0, history.indexOf(event)).filter((e): e is Of<'token.accepted'> => e.kind === 'token.accepted');
      return before.some((e) => !batch.includes(e) && sameClaims(e, event));
    }
    default:
      return stepUp && REPEATED_IN_STEP_UP.has(event.kind);
  }
}

const startsAStep = (e: TraceEvent) => e.kind === 'step.started' || e.kind === 'scenario.started';

/** Whether the event happened in a step-up step (the latest step heading before it names one). */
function inStepUp(event: TraceEvent, history: readonly TraceEvent[]): boolean {
  for (let i = history.indexOf(event); i >= 0; i -= 1) {
    const e = history[i]!;
    if (e.kind === 'step.started') return stepTopic(e.title) === 'step-up';
  }
  return false;
}

/** The step-up's consent, said as what it adds: the scopes this client had not been given before. */
export function newlyConsented(event: Of<'consent.auto_approved'>, history: readonly TraceEvent[]): string[] | undefined {
  const earlier = history.slice(0, history.indexOf(event))
    .filter((e): e is Of<'consent.auto_approved'> => e.kind === 'consent.auto_approved' && e.client_id === event.client_id && e.sub === event.sub);
  if (earlier.length === 0) return undefined;
  const given = new Set(earlier.flatMap((e) => e.scope.split(' ')));
  return event.scope.split(' ').filter((s) => s && !given.has(s));
}
