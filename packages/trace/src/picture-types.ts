/**
 * The picture's vocabulary: the lanes of the sequence diagram, and the arrows, notes and sections
 * the model (picture-model.ts) reads the typed trace events into. Plain data, drawn by
 * picture-svg.ts and picture-page.ts; the Mermaid diagram (trace-diagram.ts) is drawn from it too.
 */
import { describe } from './trace-describe.ts';
import type { Party, TokenClaims, TraceEvent } from './trace.ts';

export type Lane = 'U' | 'C' | 'H' | 'AS' | 'RS' | 'X' | 'RS2';

export const LANE_NAMES: Record<Lane, string> = {
  U: 'user + browser',
  C: 'client',
  H: 'client-host',
  AS: 'authorization server',
  RS: 'MCP server',
  X: 'attacker',
  RS2: 'other MCP servers',
};

/** The lanes every picture has; the attacker and other MCP servers only when a scenario needs them. */
export const BASE_LANES: readonly Lane[] = ['U', 'C', 'H', 'AS', 'RS'];

export const LANE_OF: Record<Party, Lane> = { client: 'C', 'client-host': 'H', 'authorization-server': 'AS', 'resource-server': 'RS' };

export interface Decision {
  party: Party;
  kind: TraceEvent['kind'];
  text: string;
  spec?: string;
  /** The decoded access token, where one was issued, received or accepted. */
  claims?: TokenClaims;
  refused: boolean;
}

export interface Exchange {
  method?: string;
  url?: string;
  status?: number;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  requestBody?: string;
  responseBody?: string;
}

export interface Arrow {
  type: 'arrow';
  id: string;
  from: Lane;
  to: Lane;
  channel: 'front' | 'back';
  label: string;
  /** A 4xx/5xx answer, or a refusal the servers observed. */
  refused: boolean;
  /** Sent as part of an attack (a contrast or a scenario attempt). */
  attack: boolean;
  exchange: Exchange;
  decisions: Decision[];
}

export type NoteTone = 'info' | 'attempt' | 'refused' | 'held' | 'not-held';

export interface Note {
  type: 'note';
  over: Lane;
  text: string;
  tone: NoteTone;
  spec?: string;
}

export interface Section {
  id: string;
  title: string;
  why?: string;
  items: (Arrow | Note)[];
}

export interface PictureModel {
  /** `client`: the client's own trace; `servers`: what the servers saw (the live page). */
  view: 'client' | 'servers';
  server?: string;
  lanes: Lane[];
  sections: Section[];
  outcome?: { ok: boolean; text: string };
}

export function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export const claimsOf = (e: TraceEvent): TokenClaims | undefined =>
  e.kind === 'token.issued' || e.kind === 'token.received' || e.kind === 'token.accepted' || e.kind === 'token.refreshed' ? e.claims : undefined;

export const REFUSING = new Set<TraceEvent['kind']>([
  'pkce.failed', 'token.rejected', 'scope.insufficient', 'cimd.rejected', 'consent.refused', 'consent.denied', 'code.replayed',
  'refresh_token.reused', 'token.misplaced', 'origin.rejected', 'request.rejected', 'signin.failed',
]);

export function decisionOf(e: TraceEvent): Decision {
  const claims = claimsOf(e);
  return {
    party: e.party,
    kind: e.kind,
    text: describe(e).join(' ').replace(/\s+/g, ' ').trim(),
    ...(e.spec && { spec: e.spec }),
    ...(claims && { claims }),
    refused: REFUSING.has(e.kind),
  };
}

