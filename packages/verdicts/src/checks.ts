/**
 * The rules an MCP client must follow, as this lab can see them from the server side, each
 * with a stable id (what `--report` files and tests name), the rule in words and its section.
 * MCP authorization is cited by revision 2025-11-25 and section title (its anchors moved in
 * later revisions).
 */

export type Verdict = 'pass' | 'fail' | 'warn' | 'not-seen';

export const CHECKS = {
  'prm-discovery': 'Finds the authorization server through the Protected Resource Metadata: the `resource_metadata` URL of the challenge, or the path-aware well-known URL (RFC 9728 §3, §5.1; MCP 2025-11-25 "Authorization Server Discovery": clients MUST use it)',
  'as-discovery': 'Reads the authorization server metadata before authorizing (RFC 8414 §3, or OpenID Connect Discovery; MCP 2025-11-25 "Authorization Server Metadata Discovery")',
  registration: 'Identifies itself in a way the authorization server supports: a valid Client ID Metadata Document, Dynamic Client Registration, or a pre-registered client (MCP 2025-11-25 "Client Registration Approaches")',
  'pkce-s256': 'Sends a PKCE code_challenge with method S256 (OAuth 2.1 §4.1.1; MCP 2025-11-25 "Authorization Code Protection": clients MUST use S256 when they can)',
  state: 'Sends an unguessable `state` and checks it on the way back (OAuth 2.1 §7.5.1 CSRF; RFC 9700 §4.7)',
  'resource-on-authorize': 'Names the MCP server in `resource` on the authorization request: its canonical URI (RFC 8707 §2; MCP 2025-11-25 "Resource Parameter Implementation": MUST)',
  'resource-on-token': 'Names the same `resource` on the token request (RFC 8707 §2; MCP 2025-11-25 "Resource Parameter Implementation": MUST)',
  'redirect-uri': 'Uses a redirect URI registered for it, exactly, and repeats it at the token endpoint (RFC 9700 §2.1; OAuth 2.1 §4.1.3)',
  'scope-from-challenge': 'Asks for the scope of the 401 challenge, else the `scopes_supported` of the metadata (MCP 2025-11-25 "Scope Selection Strategy")',
  'step-up-union': 'On 403 insufficient_scope, re-authorizes for the scopes it held plus the challenged ones, so it loses nothing (MCP 2025-11-25 "Step-Up Authorization Flow"; RFC 6750 §3.1)',
  'step-up-no-refresh': 'On 403 insufficient_scope, authorizes again instead of refreshing: a refresh cannot widen scope (RFC 6749 §6; MCP 2025-11-25 "Step-Up Authorization Flow")',
  'step-up-reauthorizes': 'On 403 insufficient_scope, starts a new authorization at all (MCP 2025-11-25 "Runtime Insufficient Scope Errors", "Step-Up Authorization Flow")',
  'bearer-header': 'Sends the token in the Authorization header, never in the query string (RFC 6750 §2.1; MCP 2025-11-25 "Token Requirements": MUST)',
  'token-audience': 'Presents only tokens issued for this MCP server (RFC 8707 §2; MCP 2025-11-25 "Token Audience Binding and Validation")',
} as const;

export type CheckId = keyof typeof CHECKS;
export const CHECK_IDS = Object.keys(CHECKS) as CheckId[];

export interface CheckResult {
  id: CheckId;
  verdict: Verdict;
  /** The request line or parameter that decided the verdict. */
  evidence: string;
  rule: string;
}

export interface Card {
  client_id: string;
  client_name?: string;
  checks: CheckResult[];
}

/** A change between two cards of the same client: what a later authorization altered. */
export interface CardChange {
  id: CheckId;
  from: Verdict;
  to: Verdict;
}

export function diffCards(before: Card | undefined, after: Card): CardChange[] {
  if (!before) return [];
  const previous = new Map(before.checks.map((c) => [c.id, c.verdict]));
  return after.checks.flatMap((c) => {
    const from = previous.get(c.id) ?? 'not-seen';
    return from === c.verdict ? [] : [{ id: c.id, from, to: c.verdict }];
  });
}
