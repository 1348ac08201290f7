/**
 * The picture's model: the typed trace events read into sections of a sequence diagram, with
 * one lane per party, the same source as the terminal lesson and `--diagram` (trace-diagram.ts).
 * Pure: events in, plain data out; the SVG and the page are drawn from it (picture-svg.ts,
 * picture-page.ts). How each kind is used: picture-kinds.ts.
 *
 * - With the client's own trace (`pnpm demo`), each arrow is an exchange the client made (or a
 *   fetch a server made), and the server decisions that sit between its request and its response
 *   (trace.ts, "Ordering across processes") are listed with it.
 * - Without it (the live page of `pnpm serve`: an outside client sends the lab no trace), the
 *   arrows are drawn from what the servers observed receiving (`authorization.received`,
 *   `token.requested`, `prm.served`, …), with the servers' decisions under each.
 * - The front channel (what the browser carries: the authorization request and the redirect back)
 *   is marked apart from the back channel (direct requests).
 */
import { describe, pathOf } from './trace-describe.ts';
import { PICTURE_ROLE } from './picture-kinds.ts';
import {
  BASE_LANES, decisionOf, LANE_NAMES, LANE_OF, origin, REFUSING,
  type Arrow, type Exchange, type Lane, type NoteTone, type PictureModel, type Section,
} from './picture-types.ts';
import { stepTopic, STEP_WHY } from './trace-teaching.ts';
import type { Party, TraceEvent } from './trace.ts';
import { sortEvents } from './trace-printer.ts';

/** Without a client trace, these RS decisions are how an MCP request shows itself: each opens an arrow. */
const OPENS_MCP_ARROW = new Set<TraceEvent['kind']>(['token.accepted', 'token.rejected', 'token.misplaced', 'origin.rejected']);

/** Events into the picture's sections (see the header). */
export function buildPicture(events: readonly TraceEvent[]): PictureModel {
  const sorted = sortEvents(events);
  const view = sorted.some((e) => e.kind === 'http.request') ? 'client' : 'servers';
  const model: PictureModel = { view, lanes: [...BASE_LANES], sections: [] };
  const used = new Set<Lane>(BASE_LANES);
  let section: Section | undefined;
  let arrows = 0;
  const open = new Map<number, Arrow>();
  let lastArrow: Arrow | undefined;
  let rsOrigin: string | undefined;
  const asOrigins = new Set<string>();
  const otherOrigins = new Set<string>();
  let authorizationEndpoint: string | undefined;
  let inJourney = false;
  let attacking = false;
  let contrast = false;
  let mcp: 'RS' | 'RS2' = 'RS';

  const current = (): Section => {
    if (!section) {
      section = { id: `s${model.sections.length + 1}`, title: view === 'client' ? 'Before the first step' : 'What the servers saw', items: [] };
      model.sections.push(section);
    }
    return section;
  };
  const open_section = (title: string, why?: string) => {
    section = { id: `s${model.sections.length + 1}`, title, ...(why && { why }), items: [] };
    model.sections.push(section);
  };
  const note = (over: Lane, text: string, tone: NoteTone, spec?: string) => {
    used.add(over);
    current().items.push({ type: 'note', over, text, tone, ...(spec && { spec }) });
  };
  const arrow = (from: Lane, to: Lane, label: string, exchange: Partial<Exchange>, options: { front?: boolean; refused?: boolean } = {}): Arrow => {
    used.add(from).add(to);
    const a: Arrow = {
      type: 'arrow', id: `a${++arrows}`, from, to, channel: options.front ? 'front' : 'back', label,
      // What a server sends meanwhile (its metadata fetch, a pushed revocation) is no part of the attack.
      refused: options.refused ?? false, attack: (attacking || contrast) && (from === 'X' || from === 'C' || from === 'U'),
      exchange: { requestHeaders: {}, responseHeaders: {}, ...exchange }, decisions: [],
    };
    current().items.push(a);
    lastArrow = a;
    return a;
  };
  /** The arrow a server decision belongs to: the client request still waiting for its answer. */
  const causing = (): Arrow | undefined => [...open.values()].at(-1) ?? (view === 'servers' ? lastArrow : undefined);
  /** The arrow whose answer a client decision reads: the last one of this section, answered. */
  const answered = (): Arrow | undefined =>
    lastArrow && open.size === 0 && current().items.includes(lastArrow) ? lastArrow : undefined;
  const decide = (e: TraceEvent) => {
    const target = e.party === 'client' ? answered() : causing();
    if (target) target.decisions.push(decisionOf(e));
    else if (e.party === 'client') note('C', decisionOf(e).text, 'info', e.spec);
    else note(LANE_OF[e.party] === 'RS' ? mcp : LANE_OF[e.party], decisionOf(e).text, REFUSING.has(e.kind) ? 'refused' : 'info', e.spec);
  };
  const serverTo = (party: Party): Lane => (LANE_OF[party] === 'RS' ? mcp : LANE_OF[party]);

  for (const e of sorted) {
    const role = PICTURE_ROLE[e.kind];
    if (role === 'skip') continue;
    switch (e.kind) {
      case 'journey.started':
        rsOrigin = origin(e.server);
        model.server ??= e.server;
        inJourney = true;
        continue;
      case 'scenario.started':
        open_section(`Scenario ${e.name}: ${e.title}`, e.description);
        rsOrigin = origin(e.servers.resource);
        for (const o of [e.servers.issuer]) if (origin(o)) asOrigins.add(origin(o)!);
        for (const o of e.servers.others) if (origin(o)) otherOrigins.add(origin(o)!);
        attacking = false;
        continue;
      case 'step.started': {
        const topic = stepTopic(e.title);
        open_section(`[${e.step}] ${e.title}`, topic && STEP_WHY[topic]);
        continue;
      }
      case 'journey.succeeded':
        inJourney = false;
        model.outcome = { ok: true, text: describe(e).join(' ') };
        continue;
      case 'journey.failed':
        inJourney = false;
        model.outcome = { ok: false, text: describe(e).join(' ') };
        note('C', describe(e).join(' '), 'not-held');
        continue;
      case 'scenario.attempt':
        attacking = !inJourney;
        note(attacking ? 'X' : 'C', `⚔ ${e.actor}: ${e.what}`, 'attempt');
        continue;
      case 'scenario.contrast':
        attacking = false;
        note('C', `✓ ${e.actor}: ${e.what}`, 'held');
        continue;
      case 'scenario.refused':
        attacking = false;
        note(serverTo(e.by), `refused${e.status !== undefined ? `: ${e.status}` : ''}${e.error ? ` ${e.error}` : ''}. ${e.rule}`, 'refused', e.spec);
        continue;
      case 'scenario.finished':
        attacking = false;
        inJourney = false;
        note(e.by ? serverTo(e.by) : 'C', e.held ? `✔ defence held (${e.name}): ${e.lesson}` : `✘ defence NOT held (${e.name}): ${e.why ?? e.lesson}`, e.held ? 'held' : 'not-held');
        continue;
      case 'contrast.attempted':
        contrast = true;
        note('C', `⚔ contrast (${e.contrast}): ${e.attempt}. ${e.threat}${e.aside ? ` (${e.aside})` : ''}`, 'attempt', e.spec);
        continue;
      case 'contrast.refused':
        contrast = false;
        note(serverTo(e.by), `refused by the ${LANE_NAMES[LANE_OF[e.by]]}: ${e.status}${e.error ? ` ${e.error}` : ''}. ${e.rule}`, 'refused', e.spec);
        continue;
      case 'contrast.not_refused':
        contrast = false;
        note(serverTo(e.by), `✘ NOT refused: ${e.status}, ${e.received}. ${e.rule}`, 'not-held', e.spec);
        continue;
      case 'prm.discovered':
        for (const o of e.authorization_servers) if (origin(o)) asOrigins.add(origin(o)!);
        break;
      case 'as_metadata.discovered':
        if (origin(e.issuer)) asOrigins.add(origin(e.issuer)!);
        break;
      case 'authorization.requested':
        authorizationEndpoint = e.authorization_endpoint;
        break;
      case 'http.request': {
        const o = origin(e.url);
        const rpc = e.body?.startsWith('JSON-RPC ') ? ` ${e.body.slice(9)}` : '';
        const exchange = { method: e.method, url: e.url, requestHeaders: e.headers, ...(e.body !== undefined && { requestBody: e.body }) };
        let a: Arrow;
        if (!attacking && authorizationEndpoint && e.url.startsWith(`${authorizationEndpoint}?`)) {
          a = arrow('U', 'AS', `GET ${pathOf(authorizationEndpoint)}`, exchange, { front: true });
        } else {
          const to: Lane = o !== undefined && o === rsOrigin ? 'RS'
            : o !== undefined && asOrigins.has(o) ? 'AS'
            : o !== undefined && otherOrigins.has(o) ? 'RS2'
            : rsOrigin ? 'AS' : 'RS';
          if (to === 'RS' || to === 'RS2') mcp = to;
          a = arrow(attacking ? 'X' : 'C', to, `${e.method} ${pathOf(e.url)}${rpc}`, exchange);
        }
        open.set(e.id, a);
        continue;
      }
      case 'http.response': {
        const a = open.get(e.id);
        open.delete(e.id);
        if (!a) continue;
        a.exchange.status = e.status;
        a.exchange.responseHeaders = e.headers;
        if (e.body !== undefined) a.exchange.responseBody = e.body;
        a.label += ` → ${e.status}`;
        // A 405 is the MCP server saying it offers no SSE stream on GET (Streamable HTTP), not a refusal.
        if (e.status >= 400 && e.status !== 405) a.refused = true;
        continue;
      }
      case 'authorization.callback':
        arrow('U', 'C', `redirect to the callback with code, state, iss${e.user_agent === 'headless' ? ' (headless)' : ''}`, {}, { front: true })
          .decisions.push(decisionOf(e));
        continue;
      case 'cimd.fetched':
        arrow('AS', 'H', `GET ${pathOf(e.client_id)} → ${e.status}`, { method: 'GET', url: e.client_id, status: e.status }).decisions.push(decisionOf(e));
        continue;
      case 'jwks.fetched':
        arrow(mcp, 'AS', `GET ${pathOf(e.url)} → ${e.keys} key(s)`, { method: 'GET', url: e.url }).decisions.push(decisionOf(e));
        continue;
      // RFC 8935 push: the RS subscribes at the AS, the AS pushes each revocation (an RFC 8417 SET).
      case 'revocation.subscribed':
        arrow(mcp, 'AS', 'subscribe to revocation events', { method: 'POST', ...(e.delivery_url && { url: e.delivery_url }) }).decisions.push(decisionOf(e));
        continue;
      case 'security_event.pushed':
        arrow('AS', mcp, `push revocation SET #${e.seq} → ${e.delivered ? '202' : String(e.status)}`, {
          method: 'POST', url: e.to, ...(typeof e.status === 'number' && { status: e.status }),
        }, { refused: !e.delivered }).decisions.push(decisionOf(e));
        continue;
      case 'token.introspected':
        if (e.party === 'authorization-server') {
          arrow(mcp, 'AS', `introspect token → ${e.active ? 'active' : 'inactive'}`, { method: 'POST' }, { refused: !e.active }).decisions.push(decisionOf(e));
          continue;
        }
        break;
      default:
        break;
    }
    if (view === 'servers' && OPENS_MCP_ARROW.has(e.kind)) {
      const refused = REFUSING.has(e.kind);
      arrow('C', 'RS', `MCP request${e.kind === 'token.misplaced' ? '' : ' with a token'}${refused ? '' : ' → accepted'}`, { method: 'POST' }, { refused })
        .decisions.push(decisionOf(e));
      continue;
    }
    if (role === 'observation') {
      if (view === 'servers') observe(e);
      else if (e.kind === 'request.rejected') decide(e);
      continue;
    }
    decide(e);
  }

  /** The live page: an arrow for what a server received, from the lane that sent it. */
  function observe(e: TraceEvent): void {
    switch (e.kind) {
      case 'prm.served':
        arrow('C', 'RS', `GET ${e.path}`, { method: 'GET', url: e.path });
        return;
      case 'as_metadata.served':
        arrow('C', 'AS', `GET ${e.path}`, { method: 'GET', url: e.path });
        return;
      case 'cimd.served':
        return decide(e);
      case 'authorization.received':
        open_section(`Authorization by ${e.client_id}`);
        arrow('U', 'AS', `GET /authorize (scope "${e.params.scope ?? ''}")`, { method: 'GET', url: '/authorize', requestHeaders: e.params }, { front: true });
        return;
      case 'token.requested':
        arrow('C', 'AS', `POST /token (${e.grant_type})`, { method: 'POST', url: '/token', requestHeaders: e.params });
        return;
      case 'request.rejected': {
        const last = lastArrow;
        // The rejection of the request just drawn (the AS's /token, the RS's refused token) is that arrow's answer.
        const same = e.party === 'authorization-server' ? last?.to === 'AS' && last.exchange.url === e.path : last?.to === 'RS';
        if (last && same && last.exchange.status === undefined) {
          last.exchange.status = e.status;
          // A token accepted, then the request refused (a 403 for scope, a 405): the answer is the refusal.
          last.label = `${last.label.replace(/ → accepted$/, '')} → ${e.status}`;
          // As for the client's own trace: a 405 is the MCP server offering no SSE stream on GET, not a refusal.
          last.refused = e.status !== 405;
          last.decisions.push(decisionOf(e));
          return;
        }
        const a = arrow('C', serverTo(e.party), `${e.method} ${e.path} → ${e.status}`, {
          method: e.method, url: e.path, status: e.status, responseHeaders: e.www_authenticate ? { 'WWW-Authenticate': e.www_authenticate } : {},
        }, { refused: true });
        a.decisions.push(decisionOf(e));
        return;
      }
      default:
        return decide(e);
    }
  }

  model.lanes = [...BASE_LANES, ...(['X', 'RS2'] as const).filter((l) => used.has(l))];
  return model;
}
