/**
 * Where the lesson tells revocation by push (docs/revocation.md): the RS's subscription, made
 * while the stack starts, is a line of the cast before step [1] (not server lines inside a step);
 * a subscription made later (the AS came back) and a revocation delivered during a step are
 * printed in that step, where they happen.
 */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from './trace.ts';
import { formatTrace } from './trace-printer.ts';

const RS = 'http://localhost:9001/mcp';
let at = 0;
type Unstamped = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'at'> : never) : never;
const ev = (event: Unstamped) => ({ ...event, at: (at += 10) }) as TraceEvent;

const subscribed = () => ev({ kind: 'revocation.subscribed', party: 'authorization-server', caller: 'mcp-demo-resource-server', resource: RS, delivery_url: `${RS}/security-events`, epoch: 'e1', cursor: 0, caught_up: 0 });
const live = (restarted = false) => ev({ kind: 'revocation_channel.live', party: 'resource-server', epoch: 'e1', cursor: 0, caught_up: 0, restarted });

/** The lesson of the whole run, printed in batches as the trace writer does (a batch ends at a step boundary). */
function lesson(batches: TraceEvent[][]): string[] {
  const history: TraceEvent[] = [];
  return batches.flatMap((batch) => {
    history.push(...batch);
    return formatTrace(batch, { color: false, detail: 'lesson', history }).split('\n');
  });
}

describe('the lesson places the revocation channel in causal order', () => {
  it('a subscription made at start-up is said in the cast, before step [1], and not as AS/RS lines', () => {
    const lines = lesson([
      [subscribed(), live(), ev({ kind: 'journey.started', party: 'client', server: RS })],
      [ev({ kind: 'step.started', party: 'client', step: 1, title: 'Discovery' })],
    ]);
    const cast = lines.findIndex((l) => l.includes('subscribed to the AS\'s revocations'));
    expect(cast).toBeGreaterThan(lines.findIndex((l) => l.startsWith('Who takes part')));
    expect(cast).toBeLessThan(lines.findIndex((l) => l.startsWith('[1] Discovery')));
    expect(lines.filter((l) => /^\s+(AS|RS) .*(subscribed to revocation events|revocation channel)/.test(l))).toEqual([]);
  });

  it('without a live channel at start-up (--introspect-every-request), the cast says nothing of a subscription', () => {
    const lines = lesson([[ev({ kind: 'journey.started', party: 'client', server: RS })]]);
    expect(lines.join('\n')).not.toContain('subscribed');
  });

  it('a channel that comes back during a step (a new AS run) is printed in that step', () => {
    const lines = lesson([
      [subscribed(), live(), ev({ kind: 'journey.started', party: 'client', server: RS })],
      [ev({ kind: 'step.started', party: 'client', step: 3, title: 'Call whoami' }), subscribed(), live(true)],
    ]);
    const step = lines.findIndex((l) => l.startsWith('[3] Call whoami'));
    const back = lines.findIndex((l) => /RS +revocation channel to the AS live \(a new AS run\)/.test(l));
    expect(back).toBeGreaterThan(step);
  });

  it('a revocation pushed during a step is printed in it, before the refusal it causes', () => {
    const lines = lesson([
      [subscribed(), live(), ev({ kind: 'journey.started', party: 'client', server: RS })],
      [
        ev({ kind: 'step.started', party: 'client', step: 4, title: 'Call whoami' }),
        ev({ kind: 'security_event.received', party: 'resource-server', jti: 'j1', seq: 1, via: 'push' }),
        ev({ kind: 'token.rejected', party: 'resource-server', reason: 'revoked', spec: 'RFC 6750 §3.1' }),
      ],
    ]);
    const received = lines.findIndex((l) => l.includes('revocation SET verified (pushed'));
    expect(received).toBeGreaterThan(lines.findIndex((l) => l.startsWith('[4] Call whoami')));
    expect(received).toBeLessThan(lines.findIndex((l) => l.includes('token rejected: revoked')));
  });
});
