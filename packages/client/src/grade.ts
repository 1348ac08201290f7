/**
 * `pnpm client URL --grade [--report FILE]`: after the journey, the same client tests the server's
 * defences (packages/verdicts, server/): every probe goes through the journey's own fetch stack
 * (endpoint policy, trace, bounds), so it is a real request the trace shows, and no probe goes
 * anywhere the journey itself would not go. Prints the server card; `--report` writes it as JSON.
 */
import { createEmitter, type TraceEvent, type TraceSink } from '@mcp-auth-demo/trace';
import { formatServerCard, gradeServer, type ServerCard } from '@mcp-auth-demo/verdicts';
import { writeFileSync } from 'node:fs';
import { createBoundedFetch } from './bounded-fetch.ts';
import { createPolicyFetch } from './endpoint-policy.ts';
import { createTracedFetch, type Fetch } from './traced-fetch.ts';

export interface GradeOptions {
  serverUrl: string;
  /** The journey's last access token, if it got one. */
  token?: string;
  /** The journey's events. */
  journey: readonly TraceEvent[];
  onEvent: TraceSink;
  /** The step number the grading gets in the trace (after the journey's last). */
  step: number;
  fetch?: Fetch;
}

export async function gradeAfterJourney(options: GradeOptions): Promise<ServerCard> {
  const emit = createEmitter('client', options.onEvent);
  emit('step.started', { step: options.step, title: 'Grade the server\'s defences' });
  const fetch = createPolicyFetch(createTracedFetch(createBoundedFetch(options.fetch ?? globalThis.fetch), emit), { serverUrl: options.serverUrl });
  return gradeServer({ serverUrl: options.serverUrl, fetch, emit, journey: options.journey, ...(options.token && { token: options.token }) });
}

/** The card for people, and the report file (`{ server, checks: [{ id, verdict, evidence, rule }] }`). */
export function presentServerCard(card: ServerCard, options: { color: boolean; report?: string; write: (text: string) => void }): void {
  options.write(formatServerCard(card, { color: options.color }));
  if (options.report) writeFileSync(options.report, `${JSON.stringify(card, null, 2)}\n`);
}
