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
 * - MCP 2025-11-25, Localhost Redirect URI Risks: authorization servers "SHOULD display additional
 *   warnings for localhost-only redirect URIs", because anyone can present a well-known client's
 *   metadata URL and listen on a localhost port (`loopback_redirects_only`).
 */
import type { Emit } from '@mcp-auth-demo/common';
import type { Client } from './clients.ts';
import { allLoopback } from './redirect-uri.ts';

/** The deviation, as the trace states it. */
export const AUTO_APPROVED_CONSENT =
  'DEVIATION: consent auto-approved for the fixed demo subject (no login, no consent screen)';

/** What a consent screen would show, for the trace. */
export interface ConsentSummary {
  client_host: string;
  loopback_redirects_only: boolean;
}

export function summarizeForConsent(client: Client): ConsentSummary {
  return {
    client_host: new URL(client.client_id).host,
    loopback_redirects_only: allLoopback(client.redirect_uris),
  };
}

/** Approves the request without asking anyone (the deviation above) and says so in the trace. */
export function approveConsentAutomatically(client: Client, scope: string, subject: string, emit: Emit): void {
  const summary = summarizeForConsent(client);
  const warning = summary.loopback_redirects_only ? '; WARNING: every redirect URI is loopback (MCP)' : '';
  emit('consent.auto_approved', {
    client_id: client.client_id,
    sub: subject,
    scope,
    ...summary,
    spec: `${AUTO_APPROVED_CONSENT}; CIMD §6.4 (client_id host)${warning}`,
  });
}
