/**
 * The rules an MCP *server* must follow, as `pnpm client URL --grade` tests them from the client
 * side: the mirror of checks.ts (the client's rules), one card shape, the same verdict words.
 * A MUST broken is `fail`, a SHOULD `warn`; `not-seen` says why the check could not be made.
 * MCP authorization is cited by revision 2025-11-25 and section title.
 */
import type { Verdict } from '../checks.ts';

export const SERVER_CHECKS = {
  prm: 'Serves Protected Resource Metadata whose `resource` is the URL the client used and which names its authorization server(s) (RFC 9728 §3.3: the client MUST NOT use it otherwise; MCP 2025-11-25 "Authorization Server Location": MUST include authorization_servers)',
  'challenge-401': 'Answers a request without a token with 401 and `WWW-Authenticate: Bearer` (RFC 6750 §3: MUST), naming its metadata in `resource_metadata` (RFC 9728 §5.1; MCP 2025-11-25 "Protected Resource Metadata Discovery Requirements"), with no error code (RFC 6750 §3.1: SHOULD NOT) and with `scope` (MCP 2025-11-25: SHOULD)',
  'as-metadata': 'Its authorization server publishes metadata whose `issuer` is the one named (RFC 8414 §3.3: MUST be identical) and which lists S256 in `code_challenge_methods_supported` (MCP 2025-11-25 "Authorization Code Protection": clients MUST refuse otherwise)',
  signature: 'Refuses a token whose claims were altered after signing with 401 invalid_token (RFC 9068 §4: MUST validate the signature; MCP 2025-11-25 "Token Handling": invalid tokens MUST receive 401; RFC 6750 §3.1: error SHOULD be invalid_token)',
  audience: 'Refuses a token its authorization server issued for another resource with 401 (MCP 2025-11-25 "Token Audience Binding and Validation": MUST validate that tokens were issued for it; RFC 8707 §2; RFC 9068 §4): the check that stops token passthrough',
  expiry: 'Refuses an expired token with 401 (RFC 9068 §4, RFC 7519 §4.1.4: MUST NOT be accepted on or after exp; MCP 2025-11-25 "Token Handling": expired tokens MUST receive 401)',
  'query-token': 'Does not accept an access token in the query string (MCP 2025-11-25 "Token Requirements": access tokens MUST NOT be included in the URI query string; OAuth 2.1 §5.2 has no query method)',
  'insufficient-scope': 'Answers a call that needs more scope than the token holds with 403 `error="insufficient_scope"` and the `scope` needed (MCP 2025-11-25 "Runtime Insufficient Scope Errors": SHOULD; RFC 6750 §3.1)',
  origin: 'Refuses a request with a foreign `Origin` with 403 (MCP 2025-11-25 transports, Streamable HTTP "Security Warning": servers MUST validate Origin and MUST respond 403 when it is invalid)',
} as const;

export type ServerCheckId = keyof typeof SERVER_CHECKS;
export const SERVER_CHECK_IDS = Object.keys(SERVER_CHECKS) as ServerCheckId[];

export interface ServerCheckResult {
  id: ServerCheckId;
  verdict: Verdict;
  /** The request and the answer that decided the verdict (or why the check could not be made). */
  evidence: string;
  rule: string;
}

/** The server card, as `--report FILE` writes it. */
export interface ServerCard {
  server: string;
  checks: ServerCheckResult[];
}
