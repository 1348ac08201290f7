/**
 * `pnpm demo --html FILE`: the run as one self-contained page. Styles, script and drawing are
 * inline; no CDN, no web font, no image: nothing is fetched when the page is opened, and its
 * Content-Security-Policy (`default-src 'none'`, the one script admitted by its hash) makes sure of it.
 *
 * - The cast (one lane per party), a legend, the steps as links, then one section per step with
 *   its why and its drawing (picture-svg.ts); beside it, the panel of the selected arrow
 *   (picture-details.ts). Keyboard: ←/→ arrows, j/k steps (picture-script.ts).
 * - Drawn from the same model as the Mermaid diagram (picture-model.ts), itself read from the
 *   typed trace events.
 */
import { createHash } from 'node:crypto';
import { arrowDetails } from './picture-details.ts';
import { escapeHtml } from './picture-escape.ts';
import { buildPicture } from './picture-model.ts';
import { PICTURE_SCRIPT } from './picture-script.ts';
import { PICTURE_CSS } from './picture-style.ts';
import { laneHeaderSvg, sectionSvg } from './picture-svg.ts';
import { LANE_NAMES, type Lane, type PictureModel } from './picture-types.ts';
import type { TraceEvent } from './trace.ts';

const ROLES: Record<Lane, string> = {
  U: 'a person and their browser: signs in and approves at the AS, and carries the front channel (dashed arrows). In `pnpm demo` a headless stand-in, consent auto-approved',
  C: 'the MCP client: discovers, asks for authorization, redeems the code, calls the tools',
  H: "the client's host: serves the client's metadata document (CIMD), whose URL is the client_id",
  AS: 'the authorization server: validates the client, asks consent, issues tokens for one resource',
  RS: 'the MCP server (a resource server): accepts only tokens issued for it, with the scope a tool needs',
  X: 'the misbehaving party of a scenario: sends what the rule exists to refuse',
  RS2: "the lab's other MCP servers: a token issued for them must not open this one",
};

const SCRIPT_HASH = `sha256-${createHash('sha256').update(PICTURE_SCRIPT).digest('base64')}`;
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;

export interface PageOptions {
  /** The page's title (default: what the run shows). */
  title?: string;
}

export function renderPicturePage(model: PictureModel, options: PageOptions = {}): string {
  const title = options.title ?? 'MCP authorization: the journey as a picture';
  const arrows = model.sections.flatMap((s) => s.items.filter((i) => i.type === 'arrow'));
  const outcome = model.outcome
    ? `<p><span class="outcome ${model.outcome.ok ? 'ok' : 'failed'}">${model.outcome.ok ? '✔' : '✘'} ${escapeHtml(model.outcome.text)}</span></p>`
    : '';
  const cast = model.lanes
    .map((lane) => `<li><b>${escapeHtml(LANE_NAMES[lane])}</b> ${escapeHtml(lane === 'RS' && model.server ? `${ROLES.RS} (${model.server})` : ROLES[lane])}</li>`)
    .join('');
  const nav = model.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('');
  const sections = model.sections.map((s) =>
    `<section class="step" id="${s.id}" aria-labelledby="${s.id}-h"><h2 id="${s.id}-h" tabindex="-1">${escapeHtml(s.title)}</h2>` +
    `${s.why ? `<p class="why">why: ${escapeHtml(s.why)}</p>` : ''}${sectionSvg(model.lanes, s)}</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${PICTURE_CSS}</style></head>
<body>
<header class="top"><h1>${escapeHtml(title)}</h1>
${model.server ? `<p>MCP server: <code>${escapeHtml(model.server)}</code></p>` : ''}${outcome}</header>
<section class="cast" id="cast"><h2>Who takes part</h2><ul>${cast}</ul></section>
<p class="legend"><span>── back channel: a direct request</span><span class="front">- - front channel: through the browser</span>` +
    `<span class="refused">━ refused (4xx, <i class="no-entry" aria-hidden="true"></i>)</span><span class="attack">⚔ an attack, made for real</span>` +
    `<span class="keys">keys: <kbd>←</kbd> <kbd>→</kbd> arrows, <kbd>j</kbd> <kbd>k</kbd> steps</span></p>
<nav class="steps" aria-label="steps"><ol>${nav}</ol></nav>
<main><div class="diagram-column"><div class="lanes-bar">${laneHeaderSvg(model.lanes)}</div>
${sections}</div>
<aside id="details" aria-live="polite"><p id="empty" class="quiet">Select an arrow (click, or Tab then Enter) to see its exchange and what the servers decided.</p>
${arrows.map((a) => (a.type === 'arrow' ? arrowDetails(a) : '')).join('\n')}</aside></main>
<script>${PICTURE_SCRIPT}</script>
</body></html>
`;
}

/** The trace of a run as its page: events → model (picture-model.ts) → HTML. */
export function formatHtmlPage(events: readonly TraceEvent[], options: PageOptions = {}): string {
  return renderPicturePage(buildPicture(events), options);
}
