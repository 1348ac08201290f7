/**
 * The page a person sees when the browser comes back to the client's loopback redirect URI:
 * what happened, what to do next, and the technical detail below. It says what the terminal
 * says, because it is rendered only once the client has checked the redirect (`state`, `iss`)
 * and redeemed the code (see browser-callback.ts).
 *
 * Everything interpolated is escaped (Hono's `html`); values from the AS are wrapped in `<bdi>`.
 * The page runs no script and loads nothing: a CSP allows only its own inline stylesheet, and
 * `frame-ancestors 'none'` keeps it out of frames. `Referrer-Policy: no-referrer`: the URL of
 * this page carries the code.
 */
import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import { errorInWords } from './authorization-errors.ts';
import type { AuthorizationOutcome } from './user-agent.ts';

const STYLE = `
body{margin:0;background:#f4f5f7;color:#1d2330;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}
header{font-size:.85rem;color:#5b6475;margin-bottom:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
h1 .mark{display:inline-block;width:1.6rem;height:1.6rem;line-height:1.6rem;text-align:center;border-radius:50%;color:#fff;margin-right:.5rem;font-size:1rem}
.ok .mark{background:#1e8e3e}.fail .mark{background:#c5221f}
.next{background:#f4f6fb;border-radius:8px;padding:.75rem 1rem;margin:1rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dt{color:#5b6475}dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
details{margin-top:1.5rem;font-size:.9rem}summary{color:#5b6475;cursor:pointer}
`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export const CALLBACK_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src ${STYLE_HASH}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

interface PageContent {
  ok: boolean;
  title: string;
  what: string;
  next: string;
  detail: [string, string][];
}

/** What the page says for an outcome (also what tests assert). */
export function callbackPageContent(outcome: AuthorizationOutcome | 'not-waiting' | 'no-outcome'): PageContent {
  if (outcome === 'not-waiting') {
    return {
      ok: false,
      title: 'Nothing is waiting here',
      what: 'This address belongs to the MCP client in your terminal, but it is not waiting for a sign-in right now (it may have finished or timed out).',
      next: 'Close this tab. To sign in again, run the client again.',
      detail: [],
    };
  }
  if (outcome === 'no-outcome') {
    return {
      ok: false,
      title: 'The client did not finish',
      what: 'The browser came back, but the client stopped before it could say how the authorization ended.',
      next: 'Look at the terminal for what happened.',
      detail: [],
    };
  }
  if (outcome.ok) {
    return {
      ok: true,
      title: 'Signed in and approved',
      what: `The client received its access token${outcome.scopes.length ? ` for ${outcome.scopes.join(', ')}` : ''}. It continues in the terminal.`,
      next: 'You can close this tab and return to the terminal.',
      detail: [
        ['authorization server', outcome.issuer],
        ['scope', outcome.scopes.join(' ') || '(none)'],
        ['checked', 'state (RFC 6749 §10.12), iss (RFC 9207), then the code was redeemed with the PKCE verifier (RFC 7636)'],
      ],
    };
  }
  if (outcome.error) {
    const words = errorInWords(outcome.error);
    return {
      ok: false,
      title: words.title,
      what: words.meaning,
      next: 'The client has stopped. You can close this tab; the terminal shows the same.',
      detail: [
        ['error', outcome.error],
        ...(outcome.error_description ? ([['error_description', outcome.error_description]] as [string, string][]) : []),
        ['spec', 'RFC 6749 §4.1.2.1 (error response)'],
      ],
    };
  }
  return {
    ok: false,
    title: 'The authorization did not complete',
    what: 'The browser came back, but the client could not accept the answer, so no access was granted.',
    next: 'The client has stopped. The terminal shows the same; the detail below says why.',
    detail: [
      ['expected', outcome.expected],
      ['received', outcome.received],
    ],
  };
}

/** The HTML of the page. */
export function renderCallbackPage(outcome: Parameters<typeof callbackPageContent>[0]): string {
  const page = callbackPageContent(outcome);
  const detail = page.detail.length
    ? html`<details open><summary>Technical detail</summary><dl>${page.detail.map(([k, v]) => html`<dt>${k}</dt><dd><bdi>${v}</bdi></dd>`)}</dl></details>`
    : '';
  // Every part is synchronous, so `html` yields the escaped string itself (never a Promise).
  return String(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · mcp-auth-demo client</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<main class="${page.ok ? 'ok' : 'fail'}">
<header>mcp-auth-demo · MCP client (pnpm client)</header>
<h1><span class="mark">${page.ok ? '✓' : '✕'}</span>${page.title}</h1>
<p id="what">${page.what}</p>
<p class="next" id="next">${page.next}</p>
${detail}
</main>
</body>
</html>`);
}
