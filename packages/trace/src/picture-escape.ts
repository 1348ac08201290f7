/**
 * Text from the wire into the page. Every string the picture shows can come from a hostile
 * party (a CIMD document's client_name, an error_description, a URL), so each one goes through
 * `escapeHtml` before it meets markup, and tokens are shortened before they are shown.
 */
import { pageSafe } from './terminal-safe.ts';
import { shorten } from './trace.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in an HTML or SVG text node and in a quoted attribute value, its controls and bidi
 * marks made visible (terminal-safe.ts `pageSafe`: a U+202E override reorders a page as it does
 * a terminal).
 */
export function escapeHtml(value: string): string {
  return pageSafe(value.replace(/[&<>"']/g, (c) => ENTITIES[c]!));
}

/** A JWT (three base64url parts, the first starting `eyJ`): shown by its first characters only. */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** The trace already shortens the secrets it records; this catches a token a body or URL still holds. */
export function shortenTokens(value: string): string {
  return value.replace(JWT, (token) => shorten(token, 12));
}

/** Splits text into lines of at most `width` characters, at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest.length > 0; ) {
      const room = line ? width - line.length - 1 : width;
      if (rest.length <= room) {
        line = line ? `${line} ${rest}` : rest;
        rest = '';
      } else if (line && rest.length <= width) {
        lines.push(line);
        line = '';
      } else {
        const cut = Math.max(room, 1);
        lines.push(line ? `${line} ${rest.slice(0, cut)}` : rest.slice(0, cut));
        line = '';
        rest = rest.slice(cut);
      }
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}
