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
 */
import { terminalSafe } from './terminal-safe.ts';
import type { TraceEvent } from './trace.ts';
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

type Participant = (typeof DIAGRAM_PARTICIPANTS)[number][0];

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

  const lines = ['sequenceDiagram', ...DIAGRAM_PARTICIPANTS.map(([id, name]) => `  participant ${id} as ${name}`)];
  let rsOrigin: string | undefined;
  const asOrigins = new Set<string>();
  let authorizationEndpoint: string | undefined;
  let inSection = false;
  const notedThisStep = new Set<string>();
  const note = (over: Participant, value: string) => lines.push(`  ${inSection ? '  ' : ''}Note over ${over}: ${text(value)}`);
  const arrow = (from: Participant, to: Participant, value: string) => lines.push(`  ${inSection ? '  ' : ''}${from}->>${to}: ${text(value)}`);

  for (const e of sorted) {
    switch (e.kind) {
      case 'journey.started':
        rsOrigin = origin(e.server);
        break;
      case 'prm.discovered':
        for (const as of e.authorization_servers) {
          const o = origin(as);
          if (o) asOrigins.add(o);
        }
        break;
      case 'as_metadata.discovered': {
        const o = origin(e.issuer);
        if (o) asOrigins.add(o);
        break;
      }
      case 'authorization.requested':
        authorizationEndpoint = e.authorization_endpoint;
        note('C', 'opens the authorization URL in the browser');
        break;
      case 'step.started':
        if (inSection) lines.push('  end');
        lines.push(`  rect ${SECTION_COLOURS[e.step % 2]}`, `    Note over U,RS: [${e.step}] ${text(e.title)}`);
        inSection = true;
        notedThisStep.clear();
        break;
      case 'http.request': {
        const status = responses.get(e.id)?.status ?? '…';
        const o = origin(e.url);
        const body = e.body?.startsWith('JSON-RPC ') ? ` ${e.body.slice(9)}` : '';
        if (authorizationEndpoint && e.url.startsWith(`${authorizationEndpoint}?`)) {
          arrow('U', 'AS', `GET ${pathOf(authorizationEndpoint)} → ${status}`);
        } else {
          const to: Participant = o !== undefined && o === rsOrigin ? 'RS' : o !== undefined && asOrigins.has(o) ? 'AS' : rsOrigin ? 'AS' : 'RS';
          arrow('C', to, `${e.method} ${pathOf(e.url)}${body} → ${status}`);
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
        arrow('RS', 'AS', `GET ${pathOf(e.url)} → ${e.keys} key(s)`);
        break;
      case 'token.introspected':
        // RFC 7662: the AS answers the RS's question; the RS may reuse a positive answer briefly.
        if (e.party === 'authorization-server') arrow('RS', 'AS', `introspect token → ${e.active ? 'active' : 'inactive'}`);
        else if (e.cached) note('RS', 'introspection answer reused from cache');
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
        note('RS', 'token valid, aud = this server');
        break;
      case 'token.rejected':
        note('RS', `token rejected: ${e.reason}`);
        break;
      case 'scope.insufficient':
        note('RS', `${e.tool} needs "${e.required.join(' ')}": 403 insufficient_scope`);
        break;
      case 'stepup.needed':
        note('C', `step-up: ask for held ∪ challenged = "${e.requesting.join(' ')}"`);
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
  return `${lines.join('\n')}\n`;
}
