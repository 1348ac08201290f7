/**
 * The lesson that closes a 2026-07-28 run: what changed against 2025-11-25, in the order the
 * learner met it. Data only; the journey emits it as one `lesson.eras_compared` event and the
 * one printer renders it. Each line names the revision (and section) it cites, because section
 * anchors moved in 2026-07-28 (the authorization page is split into four files there).
 */
import type { ProtocolRevision } from '@mcp-auth-demo/common';

export interface EraDifference {
  /** What the learner looks for in the trace. */
  topic: string;
  /** How it was in 2025-11-25. */
  before: string;
  /** How it is in 2026-07-28. */
  now: string;
  spec: string;
}

export const ERA_DIFFERENCES: readonly EraDifference[] = [
  {
    topic: 'no handshake',
    before: 'initialize + notifications/initialized first; later requests rely on what was negotiated',
    now: 'no initialize, no session: server/discover tells the client which revisions the server speaks',
    spec: 'MCP 2026-07-28 basic/versioning; transports/streamable-http "Backward Compatibility"',
  },
  {
    topic: 'self-describing requests',
    before: 'MCP-Protocol-Version header after initialize; the method only in the body',
    now:
      'every POST carries MCP-Protocol-Version (equal to _meta), Mcp-Method and Mcp-Name, so any server ' +
      'instance (or a load balancer) can route and answer it; a mismatch is 400 -32020, an unknown revision 400 -32022',
    spec: 'MCP 2026-07-28 transports/streamable-http "Request Metadata", "Server Validation"',
  },
  {
    topic: 'iss in the authorization response',
    before: 'RFC 9207 checking was good practice (this lab did it)',
    now: 'MCP itself requires the client to compare iss exactly before redeeming the code, and not to act on an error whose iss differs',
    spec: 'MCP 2026-07-28 authorization (SEP-2468), RFC 9207 §2.4',
  },
  {
    topic: 'issuer binding',
    before: 'one AS per server assumed; metadata issuer compared (this lab tolerated a trailing slash)',
    now:
      'AS metadata issuer compared exactly; credentials belong to their issuer and are never sent to another AS ' +
      '(re-register when the AS changes); step-up asks for the scopes requested before plus the challenged ones',
    spec: 'MCP 2026-07-28 authorization (SEP-2352, SEP-2350); RFC 8414 §3.3',
  },
  {
    topic: 'Dynamic Client Registration',
    before: 'DCR a MAY alongside CIMD and pre-registration',
    now: 'DCR deprecated in favour of CIMD (still a MAY); a DCR request MUST carry application_type (native for a CLI on loopback)',
    spec: 'MCP 2026-07-28 authorization/client-registration (SEP-837)',
  },
  {
    topic: 'unchanged',
    before: 'PRM (RFC 9728), WWW-Authenticate challenges, resource (RFC 8707), 401/403 semantics, CIMD',
    now: 'the same: the authorization checks in front of the MCP server did not change at all',
    spec: 'MCP 2026-07-28 authorization',
  },
];

/** The payload of `lesson.eras_compared`. */
export interface ErasLesson {
  revision: ProtocolRevision;
  compared_with: ProtocolRevision;
  differences: readonly EraDifference[];
}
