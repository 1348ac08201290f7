/**
 * The sign-in and consent pages, server-rendered (html-page.ts: escaping, CSP, no framing).
 *
 * The consent page shows, in this order: who asks (the client's self-asserted name, then
 * prominently the host of its client_id URL, CIMD §6.4), where the code will be sent (the redirect
 * host, with a warning when it is not the client_id's host), what it asks for in words (new scopes
 * marked), for which resource, the loopback-only warning (MCP 2025-11-25, Localhost Redirect URI
 * Risks), then Approve and Deny.
 *
 * Every form carries the pending request's id and its current single-use CSRF token
 * (consent-interaction.ts checks both, and the browser-binding cookie).
 */
import type { Client } from '../clients/resolve-client.ts';
import type { ConsentSummary } from '../endpoints/consent.ts';
import { h, htmlPage, untrusted, type Html } from './html-page.ts';

/** The scopes of the demo in words; an unknown scope is shown as its own name. */
export const SCOPE_WORDS: Record<string, string> = {
  'mcp:connect': 'Connect to the MCP server as you: list its tools and see who you are (whoami)',
  'weather:read': 'Read weather forecasts (the get_weather tool)',
};

export interface FormFields {
  /** Where the form posts (the interaction endpoint). */
  action: string;
  interaction: string;
  csrf: string;
  /** The page came over plain http (the lab's loopback deviation): it says so, and that --https removes it. */
  plainHttp?: boolean;
}

export interface ConsentView extends FormFields {
  client: Client;
  summary: ConsentSummary;
  redirectUri: string;
  resource: string;
  /** Each requested scope, and whether this person has not granted it to this client before. */
  scopes: { scope: string; isNew: boolean }[];
  sub: string;
}

export interface SignInView extends FormFields {
  client: Client;
  redirectUri: string;
  /** The fixed demo account, shown on the page (a named deviation). */
  demoUsername: string;
  demoPassword: string;
  /** Shown above the form after a failed attempt. */
  problem?: string;
  headers?: [string, string][];
}

function hiddenFields({ interaction, csrf }: FormFields): Html {
  return h`<input type="hidden" name="interaction" value="${interaction}">
<input type="hidden" name="csrf" value="${csrf}">`;
}

/** MCP "Communication Security" asks for https: a page that came without it names the deviation. */
function transportNote(view: FormFields): Html | '' {
  return view.plainHttp
    ? h`<p class="deviation" id="plain-http">This page came over plain http on this computer (a local-demo deviation; <code>--https</code> serves it over TLS).</p>`
    : '';
}

function clientName(client: Client): Html {
  return client.client_name ? untrusted(client.client_name) : h`An unnamed application`;
}

export function signInPage(view: SignInView): Response {
  const body = h`<h1>Sign in</h1>
<p class="who">${clientName(view.client)} wants to use an MCP server on your behalf. Sign in to continue.</p>
${view.problem ? h`<p class="warning" role="alert">${view.problem}</p>` : ''}
<form method="post" action="${view.action}">
${hiddenFields(view)}
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions">
<button type="submit" name="action" value="sign-in" class="primary">Sign in</button>
<button type="submit" name="action" value="deny" formnovalidate>Cancel</button>
</div>
</form>
<p class="deviation">Demo account (a local-demo deviation, never do this for real): username <code>${view.demoUsername}</code>,
password <code>${view.demoPassword}</code>.</p>
${transportNote(view)}`;
  return htmlPage({
    title: 'Sign in',
    body,
    // Cancel answers with a redirect to the client (access_denied); form-action must allow it.
    formTargets: [new URL(view.redirectUri).origin],
    ...(view.headers && { headers: view.headers }),
  });
}

function scopeList(scopes: ConsentView['scopes']): Html {
  const items = scopes.map(
    ({ scope, isNew }) =>
      h`<li><strong>${SCOPE_WORDS[scope] ?? scope}</strong> <code>${scope}</code>${
        isNew ? h`<span class="new">NEW</span>` : h`<span class="held">already granted</span>`
      }</li>`,
  );
  return h`<ul class="scopes">${items}</ul>`;
}

/** The one sentence for a code that goes to another host than the client_id's (none otherwise). */
function elsewhere(summary: ConsentSummary): Html | '' {
  return summary.redirect_elsewhere
    ? h` This request sends it to <strong>${summary.redirect_host}</strong>, not to ${summary.client_host}, where this application's ID is.`
    : '';
}

export function consentPage(view: ConsentView, headers: [string, string][] = []): Response {
  const { client, summary } = view;
  const fromDocument = client.source === 'client-id-metadata-document';
  const anyNew = view.scopes.some((s) => s.isNew);
  const body = h`<h1>Allow access?</h1>
<p class="who">${clientName(client)} wants access to your account <code>${view.sub}</code>.</p>
<div class="box" id="client">
<h2>${fromDocument ? 'Application, identified by its client ID URL' : 'Registered application: no verified host, its name is self-asserted'}</h2>
<span class="host">${summary.client_host}</span>
<span class="mono">${fromDocument ? client.client_id : `client_id ${client.client_id} (registered here; the host above is where its redirect URIs point)`}</span>
</div>
<div class="box" id="redirect">
<h2>The authorization code will be sent to</h2>
<span class="host">${summary.redirect_host}</span>
<span class="mono">${view.redirectUri}</span>
</div>
${summary.loopback_redirects_only
  ? h`<div class="warning" id="loopback-warning" role="note"><strong>Every redirect URI of this application is on this computer (loopback).</strong>
Any program running on this computer can present this client ID and receive the code.${elsewhere(summary)}
Approve only if you started this application yourself, just now.</div>`
  : summary.redirect_elsewhere
    ? h`<div class="warning" id="redirect-elsewhere-warning" role="note"><strong>${elsewhere(summary)}</strong>
Approve only if you expect this application to be reached there.</div>`
    : ''}
<div class="box" id="scopes">
<h2>${anyNew ? 'It asks to' : 'It asks again to'}</h2>
${scopeList(view.scopes)}
</div>
<p>For the resource <code>${view.resource}</code>.</p>
<form method="post" action="${view.action}">
${hiddenFields(view)}
<div class="actions">
<button type="submit" name="action" value="approve" class="primary">Approve</button>
<button type="submit" name="action" value="deny">Deny</button>
</div>
</form>
${transportNote(view)}`;
  return htmlPage({ title: 'Allow access?', body, formTargets: [new URL(view.redirectUri).origin], headers });
}
