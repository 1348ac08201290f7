/**
 * The MCP protocol revisions this project speaks: an MCP type, shared by the client, the MCP
 * server and the trace. 2025-11-25 is the default; 2026-07-28 is the newer, stateless revision.
 */
export type ProtocolRevision = '2025-11-25' | '2026-07-28';

/** Which protocol revision a client is asked to speak: one of them, or `auto` (probe, then fall back). */
export type SpecChoice = ProtocolRevision | 'auto';

export const SPEC_CHOICES: readonly SpecChoice[] = ['2025-11-25', '2026-07-28', 'auto'];

export function isSpecChoice(value: unknown): value is SpecChoice {
  return SPEC_CHOICES.includes(value as SpecChoice);
}
