/**
 * Consent: who approves the client's access, and what they are shown.
 *
 * DEMO DEVIATION (named): there is no login and no consent screen. Every authorization request
 * that passes every check is approved at once for one fixed subject (`config.subject`, by default
 * `demo-user`), so that `pnpm demo` runs unattended. A real authorization server authenticates
 * the user and asks them; this one only reports, in the trace, what a consent screen would show:
 *
 * - CIMD §6.4: "The authorization server SHOULD display the hostname of the client_id on the
 *   authorization interface" (`client_host`).
 *   A registered client (RFC 7591) has an opaque client_id with no host, and its client_name is
 *   self-asserted; the hosts of its redirect URIs (where the code will go) stand in for it.
 * - MCP 2025-11-25, Localhost Redirect URI Risks: authorization servers "SHOULD display additional
 *   warnings for localhost-only redirect URIs", because anyone can present a well-known client's
 *   metadata URL and listen on a localhost port (`loopback_redirects_only`).
 */
import type { Emit } from '@mcp-auth-demo/common';
import type { Client } from './resolve-client.ts';
import { allLoopback } from './redirect-uri.ts';

/** The deviation, as the trace states it. */
export const AUTO_APPROVED_CONSENT =
  'DEVIATION: consent auto-approved for the fixed demo subject (no login, no consent screen)';

/** What a consent screen would show, for the trace. */
export interface ConsentSummary {
  client_host: string;
  loopback_redirects_only: boolean;
}

/** The distinct hosts of a client's redirect URIs, in order. */
function redirectHosts(redirectUris: string[]): string {
  return [...new Set(redirectUris.map((uri) => new URL(uri).host))].join(', ');
}

export function summarizeForConsent(client: Client): ConsentSummary {
  return {
    client_host: client.source === 'client-id-metadata-document' ? new URL(client.client_id).host : redirectHosts(client.redirect_uris),
    loopback_redirects_only: allLoopback(client.redirect_uris),
  };
}

/** Approves the request without asking anyone (the deviation above) and says so in the trace. */
export function approveConsentAutomatically(client: Client, redirectUri: string, scope: string, subject: string, emit: Emit): void {
  const summary = summarizeForConsent(client);
  const shown =
    client.source === 'client-id-metadata-document'
      ? 'CIMD §6.4 (client_id host)'
      : 'registered client (RFC 7591): self-asserted name, redirect URI host shown';
  emit('consent.auto_approved', {
    client_id: client.client_id,
    // A consent screen shows where the code will go, not only who asks (the confused-deputy defence).
    redirect_host: new URL(redirectUri).host,
    sub: subject,
    scope,
    ...summary,
    spec: `${AUTO_APPROVED_CONSENT}; ${shown}${summary.loopback_redirects_only ? '; MCP: warn on loopback-only redirect URIs' : ''}`,
  });
}
