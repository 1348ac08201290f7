/**
 * The run as a picture: a Mermaid `sequenceDiagram` built from the same typed events as the
 * printed trace (`pnpm demo --diagram FILE`).
 *
 * - Five participants: the user and their browser, the client, the client's metadata document
 *   (client-host), the authorization server, the MCP server.
 * - One arrow per exchange: each HTTP request the client sent (labelled with its answer), each
 *   fetch a server made (the AS fetching the metadata document, the RS fetching the AS's keys or
 *   asking it whether a token is still active),
 *   and the browser's hop back to the client's callback.
 * - Notes for the decisions that teach (PKCE verified, aud checked, insufficient_scope, …), and
 *   the step numbers as highlighted sections.
 * - A scenario (`pnpm demo --scenario`) is a section of its own. Two participants appear only when
 *   one is needed: the misbehaving party, which sends what an attempt (⚔) sends outside the
 *   client's journey, and the other MCP servers of the lab. The refusal (⛔) is a note over the
 *   party that refused, and the verdict closes the section.
 * - A contrast of the default run (contrast.*) is drawn in its step: the attempt a note over the
 *   client, which sends it; the refusal (or ✘ NOT refused) a note over the server that answered.
 */
import { terminalSafe } from './terminal-safe.ts';
import type { Party, TraceEvent } from './trace.ts';
import { pathOf } from './trace-describe.ts';
import { sortEvents } from './trace-printer.ts';

type Of<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

export const DIAGRAM_PARTICIPANTS = [
  ['U', 'user + browser'],
  ['C', 'client'],
  ['H', 'client-host (metadata document)'],
  ['AS', 'authorization server (AS)'],
  ['RS', 'MCP server (RS)'],
] as const;

/** Declared only in a run whose scenarios need them. */
const SCENARIO_PARTICIPANTS = [
  ['X', 'misbehaving party'],
  ['RS2', 'other MCP servers'],
] as const;

type Participant = (typeof DIAGRAM_PARTICIPANTS)[number][0] | (typeof SCENARIO_PARTICIPANTS)[number][0];

const PARTICIPANT_OF: Record<Party, Participant> = { client: 'C', 'client-host': 'H', 'authorization-server': 'AS', 'resource-server': 'RS' };

/** Mermaid message text: no control characters, and `;` `#` written as Mermaid entities. */
function text(value: string): string {
  const entities: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;' };
  return terminalSafe(value).replace(/[#;<>]/g, (c) => entities[c]!);
}

function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

const SECTION_COLOURS = ['rgba(120, 160, 255, 0.12)', 'rgba(120, 220, 160, 0.12)'];

export function formatMermaid(events: readonly TraceEvent[]): string {
  const sorted = sortEvents(events);
  const responses = new Map<number, Of<'http.response'>>();
  for (const e of sorted) if (e.kind === 'http.response') responses.set(e.id, e);
  const origins = (urls: readonly string[]) => urls.map(origin).filter((o): o is string => o !== undefined);

  const lines: string[] = [];
  const used = new Set<Participant>();
  let rsOrigin: string | undefined;
  /**
   * Scenarios: the lab's other MCP servers; whether a scenario, a journey runs; whether an
   * attempt's party is sending now; and which MCP server the last request went to (the RS's own
   * events carry no address: they belong to the server that was just asked).
   */
  const otherOrigins = new Set<string>();
  let inScenario = false;
  let inJourney = false;
  let attacking = false;
  let mcp: 'RS' | 'RS2' = 'RS';
  const asOrigins = new Set<string>();
  let authorizationEndpoint: string | undefined;
  let inSection = false;
  const notedThisStep = new Set<string>();
  const note = (over: Participant, value: string) => {
    used.add(over);
    lines.push(`  ${inSection ? '  ' : ''}Note over ${over}: ${text(value)}`);
  };
  const arrow = (from: Participant, to: Participant, value: string) => {
    used.add(from).add(to);
    lines.push(`  ${inSection ? '  ' : ''}${from}->>${to}: ${text(value)}`);
  };
  let sections = 0;
  const section = (title: string) => {
    if (inSection) lines.push('  end');
    lines.push(`  rect ${SECTION_COLOURS[sections++ % 2]}`, `    Note over U,RS: ${text(title)}`);
    inSection = true;
    notedThisStep.clear();
  };

  for (const e of sorted) {
    switch (e.kind) {
      case 'journey.started':
        rsOrigin = origin(e.server);
        inJourney = true;
        break;
      case 'journey.succeeded':
        inJourney = false;
        break;
      case 'scenario.started':
        section(`Scenario ${e.name}: ${e.title}`);
        inScenario = true;
        rsOrigin = origin(e.servers.resource);
        for (const o of origins([e.servers.issuer])) asOrigins.add(o);
        for (const o of origins(e.servers.others)) otherOrigins.add(o);
        attacking = false;
        break;
      case 'scenario.attempt':
        // Inside the client's journey the client still sends; outside it, the attempt's party does.
        attacking = !inJourney;
        note(attacking ? 'X' : 'C', `⚔ ${e.actor}: ${e.what}`);
        break;
      case 'scenario.contrast':
        attacking = false;
        note('C', `✓ ${e.actor}: ${e.what}`);
        break;
      case 'scenario.refused':
        attacking = false;
        note(PARTICIPANT_OF[e.by], `⛔ refused${e.status !== undefined ? `: ${e.status}` : ''}${e.error ? ` ${e.error}` : ''}. ${e.rule}`);
        break;
      case 'scenario.finished':
        attacking = false;
        inJourney = false;
        inScenario = false;
        lines.push(`  ${inSection ? '  ' : ''}Note over U,RS: ${text(e.held ? `✔ defence held (${e.name})` : `✘ defence NOT held (${e.name}): ${e.why ?? ''}`)}`);
        break;
      // A contrast of the default run: the client itself makes the attempt, a real server refuses.
      case 'contrast.attempted':
        note('C', `⚔ contrast (${e.contrast}): ${e.attempt}`);
        break;
      case 'contrast.refused':
        note(PARTICIPANT_OF[e.by] === 'RS' ? mcp : PARTICIPANT_OF[e.by], `⛔ refused: ${e.status}${e.error ? ` ${e.error}` : ''}. ${e.rule}`);
        break;
      case 'contrast.not_refused':
        note(PARTICIPANT_OF[e.by] === 'RS' ? mcp : PARTICIPANT_OF[e.by], `✘ NOT refused: ${e.status}, ${e.received}`);
        break;
      case 'prm.discovered':
        for (const o of origins(e.authorization_servers)) asOrigins.add(o);
        break;
      case 'as_metadata.discovered':
        for (const o of origins([e.issuer])) asOrigins.add(o);
        break;
      case 'authorization.requested':
        authorizationEndpoint = e.authorization_endpoint;
        note('C', 'opens the authorization URL in the browser');
        break;
      case 'step.started':
        // A journey inside a scenario is one move of it: its steps are headings, not sections.
        if (inScenario) lines.push(`    Note over U,RS: ${text(`[${e.step}] ${e.title}`)}`);
        else section(`[${e.step}] ${e.title}`);
        notedThisStep.clear();
        break;
      case 'http.request': {
        const status = responses.get(e.id)?.status ?? '…';
        const o = origin(e.url);
        const body = e.body?.startsWith('JSON-RPC ') ? ` ${e.body.slice(9)}` : '';
        if (!attacking && authorizationEndpoint && e.url.startsWith(`${authorizationEndpoint}?`)) {
          arrow('U', 'AS', `GET ${pathOf(authorizationEndpoint)} → ${status}`);
        } else {
          const to: Participant = o !== undefined && o === rsOrigin ? 'RS'
            : o !== undefined && asOrigins.has(o) ? 'AS'
            : o !== undefined && otherOrigins.has(o) ? 'RS2'
            : rsOrigin ? 'AS' : 'RS';
          if (to === 'RS' || to === 'RS2') mcp = to;
          arrow(attacking ? 'X' : 'C', to, `${e.method} ${pathOf(e.url)}${body} → ${status}`);
        }
        break;
      }
      case 'authorization.callback':
        arrow('U', 'C', `redirect to the callback with code, state, iss${e.user_agent === 'headless' ? ' (headless)' : ''}`);
        note('C', `state ${e.state_matched ? 'matches' : 'DIFFERS'}, iss ${e.iss_matched ? 'matches' : 'DIFFERS'}`);
        break;
      case 'cimd.fetched':
        arrow('AS', 'H', `GET ${pathOf(e.client_id)} → ${e.status}`);
        break;
      case 'jwks.fetched':
        arrow(mcp, 'AS', `GET ${pathOf(e.url)} → ${e.keys} key(s)`);
        break;
      case 'token.introspected':
        // RFC 7662: the AS answers the RS's question; the RS may reuse a positive answer briefly.
        if (e.party === 'authorization-server') arrow(mcp, 'AS', `introspect token → ${e.active ? 'active' : 'inactive'}`);
        else if (e.cached) note(mcp, 'introspection answer reused from cache');
        break;
      case 'security_event.pushed':
        arrow('AS', mcp, `push revocation SET #${e.seq} → ${e.delivered ? '202' : String(e.status)}`);
        break;
      case 'revocation.subscribed':
        arrow(mcp, 'AS', 'subscribe to revocation events');
        break;
      case 'revocation_channel.lost':
        note(mcp, 'revocation channel lost: introspect every token');
        break;
      case 'cimd.validated':
        note('AS', 'metadata document valid: client_id is its own URL, redirect_uri listed');
        break;
      case 'cimd.rejected':
        note('AS', `metadata document rejected: ${e.reason}`);
        break;
      case 'consent.auto_approved':
        note('AS', `consent for "${e.scope}" (simulated: auto-approved)`);
        break;
      case 'pkce.verified':
        note('AS', 'PKCE verified: SHA-256(verifier) = stored challenge');
        break;
      case 'pkce.failed':
        note('AS', 'PKCE failed: SHA-256(verifier) ≠ stored challenge');
        break;
      case 'token.issued':
        note('AS', `token issued: aud = ${Array.isArray(e.claims.aud) ? e.claims.aud.join(' ') : e.claims.aud}, scope "${e.claims.scope ?? ''}"`);
        break;
      case 'token.accepted':
        if (notedThisStep.has('token.accepted')) break;
        notedThisStep.add('token.accepted');
        note(mcp, 'token valid, aud = this server');
        break;
      case 'token.rejected':
        note(mcp, `token rejected: ${e.reason}`);
        break;
      case 'scope.insufficient':
        note(mcp, `${e.tool} needs "${e.required.join(' ')}": 403 insufficient_scope`);
        break;
      case 'stepup.needed':
        note('C', `step-up: ask for held ∪ challenged = "${e.requesting.join(' ')}"`);
        break;
      case 'refresh.decided':
        note('C', e.action === 'refresh' ? 'token refused: refresh it, no user needed' : `authorize again: ${e.reason}`);
        break;
      case 'token.refreshed':
        note('AS', `token refreshed (expires in ${e.expires_in}s), refresh token rotated`);
        break;
      case 'code.replayed':
        note('AS', `code replayed: refused, ${e.revoked_tokens} token(s) revoked`);
        break;
      case 'journey.failed':
        note('C', `failed: ${e.received}`);
        break;
      default:
        break;
    }
  }
  if (inSection) lines.push('  end');
  const participants = [...DIAGRAM_PARTICIPANTS, ...SCENARIO_PARTICIPANTS.filter(([id]) => used.has(id))];
  return `${['sequenceDiagram', ...participants.map(([id, name]) => `  participant ${id} as ${name}`), ...lines].join('\n')}\n`;
}
