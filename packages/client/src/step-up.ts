/**
 * Step-up: the scopes a client asks for when a valid token is refused with 403
 * `insufficient_scope` (RFC 6750 §3.1), and when asking again cannot help.
 *
 * - MCP 2026-07-28 authorization, "Scope Challenge Handling" (SEP-2350): "Clients SHOULD compute
 *   the union of previously requested scopes and newly challenged scopes when initiating
 *   re-authorization". The union is of the scopes REQUESTED before, not only those the token
 *   holds: a scope the AS chose not to grant last time is asked for again, so nothing asked for
 *   is lost. Under 2025-11-25 the union is of the scopes held and challenged; the requested
 *   scopes include the held ones, so the 2026-07-28 rule is valid there too, and the client
 *   follows it in both revisions (docs/eras.md).
 * - MCP 2025-11-25 "Step-Up Authorization Flow": clients acting on behalf of a user "SHOULD
 *   attempt the step-up authorization flow", and "SHOULD implement retry limits and SHOULD track
 *   scope upgrade attempts to avoid repeated failures for the same resource and operation
 *   combination": the bound is the journey's `maxAuthorizations` per operation (journey.ts).
 * - A challenge naming only scopes the token already holds cannot be cured by authorizing
 *   again: the client stops instead of looping.
 */
import { StepFailure } from './step-failure.ts';

export interface StepUpScopes {
  /** The scopes the current token holds (what the AS granted). */
  held: readonly string[];
  /** The scopes the last authorization request asked for. */
  requested: readonly string[];
  /** The scopes the 403 challenge names. */
  challenged: readonly string[];
}

/** The scopes of a challenge's `scope` parameter (RFC 6750 §3: space-delimited). */
export function challengedScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter(Boolean);
}

/**
 * The scopes to ask for in the step-up authorization: requested ∪ challenged, in that order.
 * Throws a StepFailure when the challenge names only scopes the token already holds.
 */
export function stepUpScopes({ held, requested, challenged }: StepUpScopes): string[] {
  // Re-authorizing for scopes the token already holds cannot help: stop instead of looping.
  if (challenged.length > 0 && challenged.every((s) => held.includes(s))) {
    throw new StepFailure(
      `the server to accept a token holding "${challenged.join(' ')}"`,
      `403 insufficient_scope for scopes the token already has; re-authorizing cannot help`,
    );
  }
  // MCP 2026-07-28 (SEP-2350): clients "SHOULD compute the union of previously requested scopes and newly challenged scopes".
  return [...new Set([...requested, ...challenged])];
}
