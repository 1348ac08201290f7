/**
 * The one layout of the authorization server's pages for a person (sign-in, consent, errors),
 * and the headers every such page is sent with.
 *
 * - Escaping: pages are built with Hono's `html` tagged template, which escapes every
 *   interpolated value; text that came from a client (its name, its URLs) is also wrapped in
 *   `<bdi>` so a right-to-left override in a client_name cannot reorder what is around it.
 * - Clickjacking: RFC 9700 §4.16, "Authorization servers MUST prevent clickjacking attacks",
 *   naming X-Frame-Options and CSP `frame-ancestors`; both are sent.
 * - A tight Content-Security-Policy: no script at all, no external resource, the one inline
 *   stylesheet allowed by its hash, forms posting only to this server (and, for the consent
 *   form, to the origin the browser is redirected to afterwards: browsers apply `form-action`
 *   to the redirect that answers a form submission).
 * - `Cache-Control: no-store`: a page carries a single-use CSRF token and a person's choices.
 * - `Referrer-Policy: same-origin`: the authorization URL (state, PKCE challenge) never leaks to
 *   another site in a Referer header. Not `no-referrer`: with it, browsers send `Origin: null` on
 *   our own form posts (Fetch §3.1), and the interaction endpoint checks Origin.
 */
import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString;

/** `html` for content with no asynchronous parts (all of ours): the escaped string itself. */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return html(strings, ...values) as Html;
}

const STYLE = `
body{margin:0;background:#f4f5f7;color:#1d2330;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}
header{font-size:.85rem;color:#5b6475;margin-bottom:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
.who{font-size:1.15rem;margin:0 0 1rem}
.host{display:block;font:700 1.5rem/1.3 ui-monospace,Menlo,Consolas,monospace;color:#0b4fae;word-break:break-all}
.box{border:1px solid #d8dce3;border-radius:8px;padding:.75rem 1rem;margin:1rem 0}
.box h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:#5b6475;margin:0 0 .3rem}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
code{white-space:nowrap}
.mono{word-break:break-all}
ul.scopes{list-style:none;padding:0;margin:0}
ul.scopes li{padding:.4rem 0;border-top:1px solid #eef0f3}
ul.scopes li:first-child{border-top:0}
.new{display:inline-block;background:#ffe8a3;color:#6b4b00;font-size:.75rem;font-weight:700;padding:0 .4rem;border-radius:4px;margin-left:.4rem}
.held{color:#5b6475;font-size:.8rem;margin-left:.4rem}
.warning{background:#fff4e5;border:1px solid #f0b45a;border-radius:8px;padding:.75rem 1rem;margin:1rem 0}
.deviation{color:#5b6475;font-size:.85rem}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;border:1px solid #b9c0cc;border-radius:6px}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{font:inherit;font-weight:600;padding:.6rem 1.4rem;border-radius:6px;border:1px solid #b9c0cc;background:#fff;cursor:pointer}
button.primary{background:#0b57d0;border-color:#0b57d0;color:#fff}
details{margin-top:1.5rem;color:#5b6475;font-size:.9rem}
`;

/** CSP 3 hash-source for the inline stylesheet (no 'unsafe-inline'). */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export interface PageOptions {
  title: string;
  body: Html;
  status?: number;
  /**
   * Origins a form on this page may end up at besides this server: the consent form is answered
   * with a redirect to the client's redirect URI, which `form-action` must allow.
   */
  formTargets?: string[];
  /** Extra headers, e.g. a Set-Cookie. */
  headers?: [string, string][];
}

/** The Content-Security-Policy of a page: nothing but our own stylesheet and our own forms. */
export function contentSecurityPolicy(formTargets: string[] = []): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    `form-action ${["'self'", ...formTargets].join(' ')}`,
    // RFC 9700 §4.16: authorization servers MUST prevent clickjacking; no page of ours is framed.
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** A complete HTML response in the one layout, with every security header. */
export function htmlPage({ title, body, status = 200, formTargets, headers = [] }: PageOptions): Response {
  const document = h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · mcp-auth-demo</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<main>
<header>mcp-auth-demo · authorization server</header>
${body}
</main>
</body>
</html>`;
  const response = new Response(document.toString(), {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': contentSecurityPolicy(formTargets),
      // RFC 9700 §4.16 (and RFC 6749 §10.13): X-Frame-Options for browsers without CSP frame-ancestors.
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    },
  });
  for (const [name, value] of headers) response.headers.append(name, value);
  return response;
}

/** Text that came from a client, isolated for bidi (see the header) and escaped. */
export function untrusted(text: string): Html {
  return h`<bdi>${text}</bdi>`;
}
