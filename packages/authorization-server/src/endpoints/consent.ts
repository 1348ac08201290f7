/**
 * Consent: who approves the client's access, when a person must be asked, and what they are shown.
 *
 * When a person is asked (consent-page.ts renders it), the page shows what the specs ask for:
 * - CIMD §6.4: "The authorization server SHOULD display the hostname of the client_id on the
 *   authorization interface" (`client_host`). A registered client (RFC 7591) has an opaque
 *   client_id with no host, and its client_name is self-asserted; the hosts of its redirect URIs
 *   stand in for it.
 * - Where the code will be sent: the host of this request's redirect URI (`redirect_host`).
 * - MCP 2025-11-25, Localhost Redirect URI Risks: authorization servers "SHOULD display additional
 *   warnings for localhost-only redirect URIs", because anyone can present a well-known client's
 *   metadata URL and listen on a localhost port (`loopback_redirects_only`).
 *
 * DEMO DEVIATION (named): with `interactive: false` (the default, so `pnpm demo` runs unattended)
 * a request whose redirect URI is on loopback is approved at once for the fixed subject
 * (`config.subject`, by default `demo-user`): the code cannot leave this machine. Any other
 * redirect URI could be a web page's own https callback (a drive-by: register a client, get a
 * demo-user code delivered to it, redeem it); without a person to ask, it is refused.
 */
import { isLoopbackHost, OAuthError } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { Client } from '../clients/resolve-client.ts';
import { allLoopback } from '../clients/redirect-uri.ts';

/** The deviation, as the trace states it. */
export const AUTO_APPROVED_CONSENT =
  'DEVIATION: consent auto-approved for the fixed demo subject (loopback redirect URI only; no login, no consent screen)';

/** What a consent screen shows, for the page and for the trace. */
export interface ConsentSummary {
  client_host: string;
  /** Where the code is about to be sent: the host of this request's redirect URI. */
  redirect_host: string;
  /**
   * The code goes to another host than the client_id's (CIMD clients; host and port). Legitimate
   * for some apps, and exactly what an impersonator on another loopback port looks like (MCP
   * "Localhost Redirect URI Risks"): the page says so in words.
   */
  redirect_elsewhere: boolean;
  loopback_redirects_only: boolean;
}

/** The distinct hosts of a client's redirect URIs, in order. */
function redirectHosts(redirectUris: string[]): string {
  return [...new Set(redirectUris.map((uri) => new URL(uri).host))].join(', ');
}

export function summarizeForConsent(client: Client, redirectUri: string): ConsentSummary {
  const fromDocument = client.source === 'client-id-metadata-document';
  const client_host = fromDocument ? new URL(client.client_id).host : redirectHosts(client.redirect_uris);
  const redirect_host = new URL(redirectUri).host;
  return {
    client_host,
    redirect_host,
    redirect_elsewhere: fromDocument && redirect_host !== client_host,
    loopback_redirects_only: allLoopback(client.redirect_uris),
  };
}

/** How this request's consent is obtained. */
export type ConsentRoute = 'ask-the-person' | 'auto-approve-loopback' | 'refuse';

/**
 * `interactive`: a person can be shown the page (always asked then). Headless: only a loopback
 * redirect URI may be auto-approved; anything else is refused, since nobody can be asked.
 */
export function routeConsent(redirectUri: string, interactive: boolean): ConsentRoute {
  if (interactive) return 'ask-the-person';
  return isLoopbackHost(new URL(redirectUri).hostname) ? 'auto-approve-loopback' : 'refuse';
}

/** Approves a loopback request without asking anyone (the deviation above) and says so in the trace. */
export function dangerouslyAutoApproveLoopback(client: Client, redirectUri: string, scope: string, subject: string, emit: Emit): void {
  const summary = summarizeForConsent(client, redirectUri);
  const shown =
    client.source === 'client-id-metadata-document'
      ? 'CIMD §6.4 (client_id host)'
      : 'registered client (RFC 7591): self-asserted name, redirect URI host shown';
  emit('consent.auto_approved', {
    client_id: client.client_id,
    sub: subject,
    scope,
    ...summary,
    spec: `${AUTO_APPROVED_CONSENT}; ${shown}${summary.loopback_redirects_only ? '; MCP: warn on loopback-only redirect URIs' : ''}`,
  });
}

/**
 * Headless and the code would leave the machine: refused as `access_denied` (RFC 6749 §4.1.2.1:
 * "The resource owner or authorization server denied the request"), with a description that says
 * why and what would work. Shown on this server's page, not redirected: nobody is signed in to be
 * sent to a redirect URI off this machine (RFC 9700 §4.11.2, authorize.ts).
 */
export function refuseWithoutPerson(client: Client, redirectUri: string, emit: Emit): never {
  const redirect_host = new URL(redirectUri).host;
  emit('consent.refused', {
    client_id: client.client_id,
    redirect_host,
    reason: 'no person to ask (headless) and the redirect URI is not loopback',
    spec: 'RFC 6749 §4.1.2.1 access_denied; auto-approval only where the code cannot leave this machine',
  });
  throw new OAuthError(
    'access_denied',
    `This authorization server runs headless (no sign-in or consent page) and approves only loopback redirect URIs, ` +
      `where the code cannot leave this machine; ${redirect_host} is not loopback. Start it with --interactive to ask a person.`,
  );
}
