/**
 * The lab's own events: a scenario's misbehaving party and who refused it, the default run's
 * contrasts (each defence shown holding), and the grading of someone else's server. One part of
 * the event map (`TraceEventMap`, trace.ts).
 */
import type { Party } from './party.ts';

/**
 * The contrasts of the default run (contrast.* events), each a defence shown holding:
 * `pkce`: a code redeemed without its verifier, refused at /token (RFC 7636 §4.6);
 * `audience`: a token issued for another MCP server, refused by this one (RFC 8707 §2, RFC 9068 §4);
 * `redirect_uri`: an authorization request whose redirect_uri the client's metadata does not list,
 * shown as an error by the AS, never redirected to (RFC 6749 §4.1.2.1);
 * `state`, `iss`: an authorization response the client did not ask for, discarded (RFC 6749 §10.12, RFC 9207).
 */
export const CONTRAST_NAMES = ['pkce', 'audience', 'redirect_uri', 'state', 'iss'] as const;
export type ContrastName = (typeof CONTRAST_NAMES)[number];

export interface LabEvents {
  // --- scenarios (pnpm demo --scenario): one party misbehaves, another refuses ------------
  /** `servers`: the lab's authorization server, MCP server, and the extra MCP servers it started. */
  'scenario.started': { name: string; title: string; description: string; servers: { issuer: string; resource: string; others: string[] } };
  /** What the misbehaving party (`actor`: "attacker", "naive client", …) tries. */
  'scenario.attempt': { actor: string; what: string };
  /** Beside the misbehaving move, the same move made by the rule (`actor`: "a client following the union rule"). */
  'scenario.contrast': { actor: string; what: string };
  /** Who refused, how (status, error) and by which rule (in words, with its section). */
  'scenario.refused': { by: Party; status?: number; error?: string; rule: string };
  'scenario.finished': { name: string; held: boolean; lesson: string; by?: Party; status?: number; error?: string; why?: string };

  // --- contrasts (the default run): beside a step, the attack its rule stops, made for real ---
  /**
   * The attempt, made by the client against the real servers: what the attacker does (`attempt`),
   * where the threat comes from (`threat`), and what keeps the journey itself safe (`aside`, e.g.
   * "a decoy authorization: the journey's own code is never burnt"). Every event until the
   * contrast's outcome belongs to it: its requests (http.*) and the decisions they cause.
   */
  'contrast.attempted': { contrast: ContrastName; attempt: string; threat: string; aside?: string };
  /** The real server refused as the rule says: who (`by`), its answer (`status`, `error`), the rule in words. */
  'contrast.refused': { contrast: ContrastName; by: Party; status: number; error?: string; rule: string };
  /** The server did NOT refuse (the defence is off): what came back instead. The journey fails. */
  'contrast.not_refused': { contrast: ContrastName; by: Party; status: number; received: string; rule: string };

  // --- server grading (pnpm client URL --grade): the client tests the server's defences ------
  /** A check begins: what its probe sends (`probe`); its requests (http.*) follow. */
  'server_check.probed': { check: string; probe: string };
  /** A check's verdict, with the evidence (the answer that decided it) and the rule with its section. */
  'server_check.graded': { check: string; verdict: 'pass' | 'fail' | 'warn' | 'not-seen'; evidence: string; rule: string };
}
