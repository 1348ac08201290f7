/**
 * The picture's SVG, drawn by hand from the model (picture-types.ts): one drawing per section,
 * with the same lanes at the same places, so the sections stack into one sequence diagram.
 *
 * - A lane is a vertical line; an arrow a horizontal one from the sender's lane to the receiver's.
 * - The front channel (what the browser carries) is dashed; the back channel (direct requests) solid.
 * - An answer 4xx/5xx, or a refusal the servers observed, is drawn in the refusal colour; an arrow
 *   sent as part of an attack (a contrast, a scenario's attempt) is marked `attack`.
 * - An arrow is a focusable group (`.arrow`, `data-arrow`): the page's script shows its exchange.
 * - A note is a box over its lane: a refusal (drawn no-entry sign: the emoji ⛔ is not in every
 *   font, and Chromium without an emoji font shows it as an empty box) and a defence not held (✘) stand out.
 *
 * Every text goes through `escapeHtml` (picture-escape.ts); the colours come from the page's CSS.
 */
import { escapeHtml, shortenTokens, wrap } from './picture-escape.ts';
import { LANE_NAMES, type Arrow, type Lane, type Note, type Section } from './picture-types.ts';

export const LANE_SPACING = 160;
const MARGIN = 80;
const ARROW_ROW = 40;
const NOTE_LINE = 15;
const NOTE_WIDTH = 440;
/** Characters of 12 px text that fit in a note box (a conservative average glyph width). */
const NOTE_CHARS = 64;
/** Bold text (a refusal, a defence not held) is wider; a refusal's sign takes the room of 3 more. */
const noteChars = (note: Note) => (note.tone === 'refused' ? 54 : note.tone === 'not-held' ? 58 : NOTE_CHARS);
const SIGN_ROOM = 18;
const LABEL_CHARS = 46;

export function diagramWidth(lanes: readonly Lane[]): number {
  return MARGIN * 2 + (lanes.length - 1) * LANE_SPACING;
}

function laneX(lanes: readonly Lane[], lane: Lane): number {
  const i = lanes.indexOf(lane);
  return MARGIN + (i < 0 ? 0 : i) * LANE_SPACING;
}

/** A label cut to `max` characters, keeping its answer (`→ 401`) and cutting the path before it. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const at = text.lastIndexOf(' → ');
  const tail = at > 0 && text.length - at < max / 2 ? text.slice(at) : '';
  return `${text.slice(0, max - tail.length - 1)}…${tail}`;
}

/** The row of lane names, drawn above the sections (sticky in the page). */
export function laneHeaderSvg(lanes: readonly Lane[]): string {
  const width = diagramWidth(lanes);
  const names = lanes.map((lane) => {
    const x = laneX(lanes, lane);
    return `<g class="lane-name lane-${lane}"><rect x="${x - 72}" y="4" width="144" height="28" rx="6"/>` +
      `<text x="${x}" y="23" text-anchor="middle">${escapeHtml(LANE_NAMES[lane])}</text></g>`;
  });
  return `<svg class="lanes" viewBox="0 0 ${width} 36" width="${width}" height="36" role="img" aria-label="the lanes: ${escapeHtml(lanes.map((l) => LANE_NAMES[l]).join(', '))}">${names.join('')}</svg>`;
}

function arrowSvg(lanes: readonly Lane[], arrow: Arrow, y: number, width: number): string {
  const x1 = laneX(lanes, arrow.from);
  const x2 = laneX(lanes, arrow.to);
  const dir = x2 >= x1 ? 1 : -1;
  const lineY = y + 26;
  const head = `${x2},${lineY} ${x2 - dir * 9},${lineY - 5} ${x2 - dir * 9},${lineY + 5}`;
  const label = shortenTokens(arrow.label);
  const mid = Math.min(Math.max((x1 + x2) / 2, 150), width - 150);
  const classes = ['arrow', arrow.channel, ...(arrow.refused ? ['refused'] : []), ...(arrow.attack ? ['attack'] : [])].join(' ');
  const channel = arrow.channel === 'front' ? 'front channel, through the browser' : 'back channel, a direct request';
  const aria = `${LANE_NAMES[arrow.from]} to ${LANE_NAMES[arrow.to]}: ${label} (${channel})`;
  return `<g class="${classes}" id="${arrow.id}" data-arrow="${arrow.id}" tabindex="0" role="button" aria-pressed="false" aria-label="${escapeHtml(aria)}">` +
    `<title>${escapeHtml(aria)}</title>` +
    `<rect class="hit" x="${Math.min(x1, x2) - 6}" y="${y + 4}" width="${Math.abs(x2 - x1) + 12}" height="${ARROW_ROW - 6}" rx="4"/>` +
    `<line x1="${x1}" y1="${lineY}" x2="${x2 - dir * 8}" y2="${lineY}"/><polygon points="${head}"/>` +
    `<text x="${mid}" y="${y + 18}" text-anchor="middle">${escapeHtml(clip(label, Math.max(LABEL_CHARS, Math.floor(Math.abs(x2 - x1) / 6.5))))}${arrow.decisions.length > 0 ? ` ◆${arrow.decisions.length}` : ''}</text></g>`;
}

function noteHeight(note: Note): number {
  return wrap(shortenTokens(note.text), noteChars(note)).length * NOTE_LINE + 12;
}

/** The no-entry sign of a refusal, drawn (a red disc, a white bar) rather than the emoji. */
function noEntrySign(x: number, y: number): string {
  return `<g class="no-entry" aria-hidden="true"><circle cx="${x}" cy="${y}" r="6.5"/><rect x="${x - 4}" y="${y - 1.4}" width="8" height="2.8"/></g>`;
}

function noteSvg(lanes: readonly Lane[], note: Note, y: number, width: number): string {
  const lines = wrap(shortenTokens(note.text), noteChars(note));
  const x = Math.min(Math.max(laneX(lanes, note.over) - NOTE_WIDTH / 2, 4), width - NOTE_WIDTH - 4);
  const height = lines.length * NOTE_LINE + 8;
  const indent = note.tone === 'refused' ? SIGN_ROOM : 0;
  const text = lines.map((line, i) => `<tspan x="${x + 10 + indent}" y="${y + 17 + i * NOTE_LINE}">${escapeHtml(line)}</tspan>`).join('');
  const spec = note.spec ? `<title>${escapeHtml(note.spec)}</title>` : '';
  const sign = note.tone === 'refused' ? noEntrySign(x + 17, y + 13) : '';
  return `<g class="note ${note.tone}">${spec}<rect x="${x}" y="${y + 4}" width="${NOTE_WIDTH}" height="${height}" rx="4"/>${sign}<text>${text}</text></g>`;
}

/** One section's drawing: its lanes' lifelines, then its arrows and notes, top to bottom. */
export function sectionSvg(lanes: readonly Lane[], section: Section): string {
  const width = diagramWidth(lanes);
  let y = 0;
  const parts: string[] = [];
  for (const item of section.items) {
    if (item.type === 'arrow') {
      parts.push(arrowSvg(lanes, item, y, width));
      y += ARROW_ROW;
    } else {
      parts.push(noteSvg(lanes, item, y, width));
      y += noteHeight(item);
    }
  }
  const height = Math.max(y + 8, 16);
  const lifelines = lanes.map((lane) => `<line class="lifeline" x1="${laneX(lanes, lane)}" y1="0" x2="${laneX(lanes, lane)}" y2="${height}"/>`).join('');
  return `<svg class="diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="${escapeHtml(section.title)}">${lifelines}${parts.join('')}</svg>`;
}
