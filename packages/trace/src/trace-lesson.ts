/**
 * The default trace: the lesson. The same events as the full wire view (`--verbose`), told for a
 * reader who knows HTTP but not OAuth:
 *
 * - the cast before step [1], one sentence of why under each step heading, why-lines under the
 *   decisions that teach a rule, and a recap after the verdict (trace-teaching.ts);
 * - identical repeated decisions collapse into one line that counts them, exactly: two events
 *   collapse only when every field but the time is equal, so nothing that differs is hidden;
 * - the SDK's transport plumbing (initialize, notifications/initialized, the GET stream probe)
 *   is one short line that says what it is;
 * - a contrast (an attack made for real beside its step) shows its attempt, the attack request,
 *   the decision and the refusal; its set-up is in --verbose (trace-lesson-contrasts.ts);
 * - headers appear only where they teach (WWW-Authenticate, Location); citations only on the
 *   line that states the rule; timings only in the verdict.
 */
import kleur from 'kleur';
import { terminalSafe } from './terminal-safe.ts';
import type { Party, TraceEvent } from './trace.ts';
import { describe, pathOf } from './trace-describe.ts';
import { cast, recap, STEP_WHY, stepTopic } from './trace-teaching.ts';
import { decisionWhy, lessonBody, lessonChallenge, lessonLocation, lessonText, why, WIDTH, wrap, type Of } from './trace-lesson-text.ts';
import { attackAnswer, contrastLesson, contrastSetup } from './trace-lesson-contrasts.ts';
import { quietInLesson } from './trace-lesson-quiet.ts';

const LABEL: Record<Party, string> = { client: 'client', 'authorization-server': 'AS', 'resource-server': 'RS', 'client-host': 'client-host' };

/** Kinds whose citation the lesson keeps: the lines that state a rule. */
const CITED = new Set<TraceEvent['kind']>([
  'challenge.parsed', 'prm.resource_matched', 'pkce.verified', 'pkce.failed', 'authorization.callback', 'token.rejected',
  'code.replayed', 'cimd.rejected', 'refresh_token.reused',
]);

/** What a whole run told so far, for the parts of the lesson that need earlier batches. */
interface RunContext {
  server?: string;
  authorizationEndpoint?: string;
  userAgent: 'headless' | 'browser';
}

function runContext(history: readonly TraceEvent[]): RunContext {
  const context: RunContext = { userAgent: 'headless' };
  for (const event of history) {
    if (event.kind === 'journey.started') {
      context.server = event.server;
      if (event.user_agent) context.userAgent = event.user_agent;
    }
    if (event.kind === 'authorization.requested') context.authorizationEndpoint = event.authorization_endpoint;
  }
  return context;
}

const isPlumbingBody = (body: string | undefined) => body !== undefined && /^JSON-RPC (initialize|notifications\/)/.test(body);

/** The lesson's lines for a batch of events (sorted), knowing everything the run printed so far. */
export function formatLesson(batch: readonly TraceEvent[], history: readonly TraceEvent[]): string[] {
  const run = runContext(history);
  // A contrast's set-up (trace-lesson-contrasts.ts) is in --verbose only.
  const contrasts = contrastSetup(batch);
  const events = batch.filter((e) => !contrasts.hidden.has(e));
  const responses = new Map<number, Of<'http.response'>>();
  for (const e of events) if (e.kind === 'http.response') responses.set(e.id, e);

  // The SDK's session plumbing: initialize that succeeded, notifications, the GET stream probe.
  const plumbing = new Map<number, string>();
  for (const e of events) {
    if (e.kind !== 'http.request') continue;
    const status = responses.get(e.id)?.status;
    const probe = e.method === 'GET' && run.server !== undefined && pathOf(e.url) === pathOf(run.server);
    const handshake = run.server !== undefined && isPlumbingBody(e.body) && (status === undefined || status < 300);
    // A 200 opens the standalone stream: the server's own notifications and requests arrive on it.
    if (probe) plumbing.set(e.id, status === 200 ? 'GET stream → 200 (open: the server\'s own messages come on it)' : `GET probe → ${status ?? '?'}`);
    else if (handshake) plumbing.set(e.id, `${e.body!.replace('JSON-RPC ', '')} → ${status ?? '?'}`);
  }
  const probePaths = new Set([...events].filter((e): e is Of<'http.request'> => e.kind === 'http.request' && plumbing.get(e.id)?.startsWith('GET') === true).map((e) => pathOf(e.url)));

  // Exact collapsing: the same event, every field but the time equal, is counted on its first line.
  const keyOf = (e: TraceEvent) => JSON.stringify({ ...e, at: 0 });
  const repeats = new Map<string, number>();
  for (const e of events) {
    if (e.party === 'client') continue;
    const key = keyOf(e);
    repeats.set(key, (repeats.get(key) ?? -1) + 1);
  }
  const printed = new Set<string>();

  const out: string[] = [];
  let openRequest: { id: number; line: number } | undefined;
  let plumbingLine: number | undefined;
  const push = (...lines: string[]) => {
    out.push(...lines);
    openRequest = undefined;
  };

  for (const event of events) {
    if (quietInLesson(event, events, history)) continue;
    const client = '    ';
    const server = '        ';
    switch (event.kind) {
      case 'server.listening':
      case 'step.finished':
      case 'tool.called':
      case 'cimd.served': // the AS's fetch line names the document
      case 'authorization.requested': // the browser's request line says what it carries
      case 'scope.selected': // the authorization request shows the scope (verbose says where it came from)
      case 'cimd.cache_hit': // a cache detail: in --verbose
      // What the servers received, for grading other clients (pnpm serve): the client's own lines say it here.
      case 'authorization.received':
      case 'token.requested':
      case 'as_metadata.served':
      case 'prm.served':
        continue;
      case 'prm.discovered':
        // Said on the line of the resource check, when there is one.
        if (events.some((e) => e.kind === 'prm.resource_matched')) continue;
        break;
      case 'cimd.fetched':
        // Said together with the verdict on the document, when there is one.
        if (events.some((e) => e.kind === 'cimd.validated' && e.client_id === event.client_id)) continue;
        break;
      case 'token.introspected':
        // The RS confirms every token with the AS (RFC 7662): said once in the run, and whenever
        // the answer is "inactive" (a revocation reaching the RS); the rest is in --verbose.
        if (event.active && history.find((e) => e.kind === 'token.introspected') !== event) continue;
        break;
      case 'token.received':
        // The AS's line already shows the token it issued (with another AS, this is all there is).
        if (events.some((e) => e.kind === 'token.issued')) continue;
        break;
      case 'journey.started': {
        // Inside a scenario the cast is known already: the journey is one move of the story.
        if (history.some((e) => e.kind === 'scenario.started')) continue;
        const listening = events.filter((e): e is Of<'server.listening'> => e.kind === 'server.listening');
        const at = (party: Party) => listening.find((l) => l.party === party)?.url;
        push(kleur.bold(`MCP server: ${event.server}${event.protocol ? ` (MCP ${event.protocol})` : ''}`), '', ...cast({
          server: event.server,
          userAgent: event.user_agent ?? 'headless',
          ...(at('authorization-server') && { authorizationServer: at('authorization-server') }),
          ...(at('client-host') && { clientHost: at('client-host') }), revocationPush: events.some((e) => e.kind === 'revocation_channel.live'),
        }));
        continue;
      }
      case 'contrast.attempted':
      case 'contrast.refused':
      case 'contrast.not_refused':
        push(...contrastLesson(event)!);
        continue;
      case 'scenario.started':
        push('', kleur.bold().cyan(`Scenario ${event.name}: ${event.title}`), `${client}${terminalSafe(event.description)}`);
        continue;
      case 'scenario.finished': {
        const [verdict = '', lesson = ''] = describe(event);
        push(event.held ? kleur.bold().green(`${client}${verdict}`) : kleur.bold().red(`${client}${terminalSafe(verdict)}`),
          ...wrap(lesson, `${client}  `, client));
        continue;
      }
      case 'step.started': {
        const topic = stepTopic(event.title);
        // Said once: the first step of its kind in the run carries the sentence.
        const firstOfTopic = topic !== undefined &&
          history.find((e) => e.kind === 'step.started' && stepTopic(e.title) === topic) === event;
        push('', kleur.bold().cyan(`[${event.step}] ${event.title}`), ...(firstOfTopic ? why(STEP_WHY[topic], client) : []));
        continue;
      }
      case 'journey.succeeded':
        {
          const lines = recap(history);
          push('', kleur.bold().green(`✔ Journey complete: ${event.steps.length} steps in ${event.ms} ms.`) +
            (lines.length > 0 ? ' What this run showed:' : ''), ...lines.flatMap((l) => wrap(l, '      ', '  ')));
        }
        continue;
      case 'mcp.connected':
        // 2025-11-25: the plumbing line already says initialize; 2026-07-28 is the lesson's point.
        if (event.revision !== '2026-07-28') continue;
        break;
      case 'lesson.eras_compared': {
        // The closing lesson of a 2026-07-28 run (eras-lesson.ts), after the recap.
        const [first = '', ...rest] = describe(event);
        push('', kleur.bold(first), ...rest.flatMap((l) => wrap(terminalSafe(l.trim()), l.startsWith('    ') ? '      ' : '  ')).map((l) => (l.startsWith('      ') ? kleur.dim(l) : kleur.cyan(l))));
        continue;
      }
      case 'journey.failed': {
        const [first = '', ...rest] = describe(event);
        push('', kleur.bold().red(`✘ ${first}`), ...rest.map((l) => kleur.red(l)));
        continue;
      }
      case 'http.request': {
        const summary = plumbing.get(event.id);
        if (summary !== undefined) {
          // The connection's first request stands for it (its decisions follow it); the rest is in --verbose.
          // A stream the server opened is worth a line: its own notifications and requests come on it.
          if (summary.startsWith('GET stream')) push(`${client}${kleur.dim(summary)}`);
          else if (plumbingLine === undefined) {
            push(`${client}${kleur.yellow(`→ ${event.method} ${event.url}  ${lessonBody(event.body ?? '')}${event.headers.Authorization ? '  + Bearer token' : ''}  ← ${responses.get(event.id)?.status ?? '?'}`)}`);
            plumbingLine = out.length - 1;
          }
          continue;
        }
        if (contrasts.attacks.has(event.id)) {
          // A contrast's attack: one line with its answer; the decisions it caused follow.
          const query = new URL(event.url).searchParams.get('redirect_uri');
          const answer = responses.get(event.id);
          push(`${client}${kleur.yellow(`→ ${event.method} ${event.url.split('?')[0]}${query ? `?…redirect_uri=${query}` : ''}` +
            `${event.body ? `  ${lessonBody(event.body).replace(/^.*?(code_verifier=\S+).*$/, 'code + $1')}` : ''}${event.headers.Authorization ? '  + Bearer token' : ''}${answer ? `  ${attackAnswer(answer)}` : ''}`)}`);
          continue;
        }
        const requested = events.find((e): e is Of<'authorization.requested'> => e.kind === 'authorization.requested');
        const authorizationEndpoint = requested?.authorization_endpoint ?? run.authorizationEndpoint;
        const toAuthorize = authorizationEndpoint !== undefined && event.url.startsWith(`${authorizationEndpoint}?`);
        const bearer = event.headers.Authorization ? '  + Bearer token' : '';
        if (toAuthorize) {
          // The parameters the browser carries, read off the request itself.
          const params = Object.fromEntries(new URLSearchParams(event.url.slice(event.url.indexOf('?') + 1)));
          push(
            `${client}${kleur.yellow(`→ ${run.userAgent === 'headless' ? 'browser (headless stand-in)' : 'user\'s browser'}: GET ${authorizationEndpoint}?`)}`,
            `${client}    ${Object.keys(params).filter((k) => !['scope', 'response_type', 'code_challenge_method'].includes(k)).join(' ')}` +
              `${params.scope === undefined ? ' (no scope)' : ` scope="${params.scope}"`}`,
          );
        } else {
          push(`${client}${kleur.yellow(`→ ${event.method} ${event.url.split('?')[0]}${event.body ? `  ${lessonBody(event.body)}` : ''}${bearer}`)}`);
          // MCP 2026-07-28: the request names its revision, method and tool in headers (self-describing).
          const mcpHeaders = ['MCP-Protocol-Version', 'Mcp-Method', 'Mcp-Name'].filter((h) => event.headers[h] !== undefined && event.headers['Mcp-Method'] !== undefined);
          if (mcpHeaders.length > 0) out.push(`${client}    ${kleur.dim(terminalSafe(mcpHeaders.map((h) => `${h}: ${event.headers[h]}`).join('  ')))}`);
        }
        openRequest = { id: event.id, line: out.length - 1 };
        continue;
      }
      case 'http.response': {
        if (plumbing.has(event.id) || contrasts.attacks.has(event.id)) continue;
        const challenge = event.headers['WWW-Authenticate'];
        const shown = [
          event.headers.Location && `${event.status >= 300 && event.status < 400 ? 'to the browser, ' : ''}Location: ${lessonLocation(event.headers.Location)}`,
          !challenge && event.body,
        ].filter(Boolean).join('  ');
        // RFC 6750 §3.1: no token was sent, so the challenge carries no error code.
        const noToken = event.status === 401 && challenge !== undefined && !/error=/.test(challenge) ? ' (no token sent: no error code)' : '';
        const text = `← ${event.status}${noToken}${shown ? `  ${shown}` : ''}`;
        if (challenge) {
          const header = `WWW-Authenticate: ${lessonChallenge(challenge, event.status)}`;
          if (client.length + text.length + 2 + header.length <= WIDTH) push(`${client}${kleur.yellow(`${text}  ${header}`)}`);
          else {
            // Too long for one line: the status with the header's first parameter, the rest below.
            const cut = header.indexOf(', ');
            push(`${client}${kleur.yellow(`${text}  ${cut > 0 ? header.slice(0, cut + 1) : header}`)}`, ...(cut > 0 ? [`${client}  ${header.slice(cut + 2)}`] : []));
          }
          continue;
        }
        // A plain success after the server's own lines: the next line (a result, a token) says it.
        if (!shown && event.status < 300 && openRequest?.id !== event.id) continue;
        if (openRequest?.id === event.id && `${out[openRequest.line]}  ${text}`.length <= WIDTH + 12) {
          out[openRequest.line] += `  ${kleur.yellow(text)}`;
          openRequest = undefined;
        } else {
          push(`${client}${kleur.yellow(text)}`);
        }
        continue;
      }
      case 'request.rejected':
        // The GET stream probe's 405 belongs to the plumbing line.
        if (event.status === 405 && event.method === 'GET' && probePaths.has(event.path)) continue;
        // The RS's scope line and the 403 challenge say it all.
        if (event.error === 'insufficient_scope' && events.some((e) => e.kind === 'scope.insufficient')) continue;
        break;
    }

    const key = keyOf(event);
    if (event.party !== 'client') {
      if (printed.has(key)) continue;
      printed.add(key);
    }
    const more = event.party === 'client' ? 0 : repeats.get(key) ?? 0;
    const [first = '', ...rest] = lessonText(event, events.find((e): e is Of<'prm.discovered'> => e.kind === 'prm.discovered'), history) ?? describe(event);
    const counted = more === 0 ? first
      : `${first} (${event.kind === 'token.accepted' ? `same token, ${more} more request${more === 1 ? '' : 's'}` : `${more} more time${more === 1 ? '' : 's'}`})`;
    const cite = event.spec && CITED.has(event.kind) ? kleur.dim(`  (${terminalSafe(event.spec)})`) : '';
    if (event.party === 'client') {
      push(`${client}${terminalSafe(counted)}${cite}`, ...rest.map((l) => `${client}${terminalSafe(l)}`));
    } else {
      const label = kleur.magenta(LABEL[event.party].padEnd(3));
      push(`${server}${label} ${terminalSafe(counted)}${cite}`, ...rest.map((l) => `${server}    ${terminalSafe(l)}`));
    }
    const depth = client;
    // A rule is explained the first time its decision appears in the run.
    if (history.find((e) => e.kind === event.kind) === event) {
      for (const sentence of decisionWhy(event)) push(...why(sentence, depth));
    }
  }
  return out;
}
