/**
 * The live page's HTML: the shell (served once) and one block per client (sent again whenever
 * that client's journey or card changed). A block is the same picture as `pnpm demo --html`
 * (the trace's model, SVG and details panels, packages/trace picture-*.ts), drawn from that
 * client's share of the servers' events (journeys.ts), with its verdict card beside it
 * (packages/verdicts format-card-html.ts).
 *
 * Ids on the page are the journey's short key (`c1-a3`), never text from the client; every
 * client text is escaped by the pieces that draw it.
 */
import {
  arrowDetails, buildPicture, escapeHtml, laneHeaderSvg, LANE_NAMES, PICTURE_CSS, sectionSvg,
  type PictureModel,
} from '@mcp-auth-demo/trace';
import { formatCardHtml, type Card } from '@mcp-auth-demo/verdicts';
import { createHash } from 'node:crypto';
import type { LiveJourney } from './journeys.ts';
import { LIVE_SCRIPT } from './script.ts';

const LIVE_CSS = `
.live-status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;background:var(--panel);border:1px solid var(--line)}
.live-status.live{color:var(--held);border-color:var(--held)}.live-status.lost{color:var(--refused);border-color:var(--refused)}
.client-grid{display:grid;grid-template-columns:minmax(0,1fr) 400px;gap:16px;padding:0 16px 24px}
@media (max-width:1000px){.client-grid{grid-template-columns:1fr}}
section.client{border-top:3px solid var(--line);margin-top:12px}section.client>h2{padding:0 24px}
section.step h3{font-size:15px;margin:8px 8px 2px}
.side{position:sticky;top:8px;align-self:start;max-height:calc(100vh - 16px);overflow:auto;display:flex;flex-direction:column;gap:10px}
.side>.details,.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 12px;font-size:13px}
.card h3{margin:0}.card .who{margin:2px 0;word-break:break-all}.card .tally{margin:2px 0 6px;color:var(--muted)}
table.checks td{padding:2px 4px}.checks .mark{width:16px}.checks .verdict{width:60px;font-weight:600}
.check.pass .verdict,.check.pass .mark{color:var(--held)}.check.fail .verdict,.check.fail .mark{color:var(--refused)}
.check.warn .verdict,.check.warn .mark{color:var(--attack)}.check.not-seen{color:var(--muted)}
.evidence{word-break:break-all}.rule{color:var(--muted);font-style:italic}
`;

export const LIVE_SCRIPT_HASH = `sha256-${createHash('sha256').update(LIVE_SCRIPT).digest('base64')}`;
/** As the page of a run, but the page may ask its own origin for the stream of updates. */
export const LIVE_CSP =
  `default-src 'none'; style-src 'unsafe-inline'; script-src '${LIVE_SCRIPT_HASH}'; connect-src 'self'; ` +
  `base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** The page, with no client yet: the script fills `#clients` from the stream. */
export function renderLiveShell(mcpUrl: string): string {
  const title = 'MCP authorization, live: each client as it connects';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${PICTURE_CSS}${LIVE_CSS}</style></head>
<body>
<header class="top"><h1>${escapeHtml(title)}</h1>
<p>Point an MCP client at <code>${escapeHtml(mcpUrl)}</code>: its journey is drawn here as the servers see it, with its verdict card beside it.
<span id="status" class="live-status" role="status">connecting…</span></p></header>
<p class="legend"><span>── back channel: a direct request</span><span class="front">- - front channel: through the browser</span>` +
    `<span class="refused">━ refused (4xx)</span><span class="keys">select an arrow (click, or Tab then Enter) for its exchange</span></p>
<div id="clients" aria-live="polite"></div>
<script>${LIVE_SCRIPT}</script>
</body></html>
`;
}

/** The model's ids prefixed with the journey's key, so many pictures share one page. */
function prefixed(model: PictureModel, key: string): PictureModel {
  return {
    ...model,
    sections: model.sections.map((s) => ({
      ...s,
      id: `${key}-${s.id}`,
      items: s.items.map((item) => (item.type === 'arrow' ? { ...item, id: `${key}-${item.id}` } : item)),
    })),
  };
}

export interface PictureHtml {
  diagram: string;
  /** The hidden panel of each arrow, shown when it is selected. */
  details: string;
}

/** One client's picture (the server draws it again only when its events changed). */
export function renderPicture(journey: LiveJourney): PictureHtml {
  const model = prefixed(buildPicture(journey.events), journey.key);
  const arrows = model.sections.flatMap((s) => s.items.flatMap((i) => (i.type === 'arrow' ? [i] : [])));
  const dropped = journey.dropped > 0 ? `<p class="quiet">${journey.dropped} earlier events are not drawn.</p>` : '';
  const sections = model.sections.map((s) =>
    `<section class="step" id="${s.id}"><h3>${escapeHtml(s.title)}</h3>${sectionSvg(model.lanes, s)}</section>`).join('');
  return {
    diagram: `<div class="diagram-column">${dropped}<div class="lanes-bar">${laneHeaderSvg(model.lanes)}</div>${sections}</div>`,
    details: `<div class="details" aria-label="the selected exchange"><p class="quiet empty">Select an arrow to see its exchange and what the servers decided.</p>` +
      `${arrows.map(arrowDetails).join('')}</div>`,
  };
}

/** A client's block: its name, its picture and, beside it, its card (or why there is none yet). */
export function renderClient(journey: LiveJourney, { diagram, details }: PictureHtml, card: Card | undefined): string {
  const name = card?.client_name ? `${escapeHtml(card.client_name)} ` : '';
  const cardHtml = card
    ? formatCardHtml(card)
    : `<article class="card"><h3>client verdicts</h3><p class="quiet">No card yet: a card comes when this client's authorization completes or fails.</p></article>`;
  return `<section class="client" id="${journey.key}" data-version="${journey.version}">` +
    `<h2>${name}<code>${escapeHtml(journey.client_id)}</code></h2>` +
    `<div class="client-grid">${diagram}<aside class="side">${cardHtml}${details}</aside></div></section>`;
}

/** Shown while no client has connected. */
export const NO_CLIENT_YET = `<p class="quiet" id="no-client">No client yet. The ${escapeHtml(LANE_NAMES.C)} lane fills in when one authorizes.</p>`;
