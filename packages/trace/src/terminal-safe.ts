/**
 * Terminal-safe text: what the printer does to every value before it reaches a terminal.
 *
 * The trace prints values that other parties chose: form fields of a cross-site POST to the AS's
 * `/token`, a registered `client_name`, a malicious server's metadata, error bodies and tool
 * output. A terminal obeys control sequences in that text: ESC `]52;c;…` writes the clipboard
 * (OSC 52), ESC `[2J` clears the screen so that a forged line looks real, CR rewrites the current
 * line, and Unicode bidi overrides (U+202E) make `gpj.exe` read as `exe.jpg` (Trojan Source,
 * CVE-2021-42574). So every such character is replaced by a visible escape (`\x1b`, `\u202e`):
 * the reader sees that something was there, and the terminal executes nothing.
 *
 * Done once, in the one printer (trace-printer.ts), so no party has to remember it.
 */

/**
 * C0 controls (U+0000-U+001F, including ESC, CR, LF and TAB), DEL (U+007F), C1 controls
 * (U+0080-U+009F: 8-bit CSI U+009B and OSC U+009D act like ESC [ and ESC ] on many terminals),
 * the bidi marks, embeddings, overrides and isolates (U+061C, U+200E-U+200F, U+202A-U+202E,
 * U+2066-U+2069), and the Unicode line and paragraph separators (U+2028, U+2029).
 */
const BEYOND_C0 = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE = new RegExp(`[\\u0000-\\u001f${BEYOND_C0}]`, 'g');
/** In JSON text: JSON.stringify escapes C0 itself, and its own newlines and indentation must stay. */
const UNSAFE_IN_JSON = new RegExp(`[${BEYOND_C0}]`, 'g');
/** On a page (picture-escape.ts): TAB and LF stay, for the bodies shown as they came. */
const UNSAFE_ON_PAGE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${BEYOND_C0}]`, 'g');

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character and bidi control replaced by a visible escape. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** The same, keeping TAB and LF: text for an HTML page, where they reorder or hide nothing. */
export function pageSafe(text: string): string {
  return text.replace(UNSAFE_ON_PAGE, visible);
}

/** True when `text` holds a character that `terminalSafe` would neutralise. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * JSON as text that is safe to `cat` (the `--report` file): JSON.stringify escapes C0 controls
 * but leaves C1 controls (a CSI in one code point), bidi overrides (Trojan Source) and
 * U+2028/2029 raw. These can only occur inside strings, where a \u escape means the same value,
 * so the file parses back to the same data.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
