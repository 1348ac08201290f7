/**
 * What the servers saw one client do, gathered from the trace (grader.ts fills it in; the
 * checks in evaluate.ts read it). Nothing here decides a verdict.
 */
import type { Rejection } from '@mcp-auth-demo/common';

/** Discovery requests carry no client identity; they are credited to the next client that authorizes. */
export interface Discovery {
  prmPath?: string;
  asMetadataPath?: string;
  /** The `scope` of the last 401 challenge the MCP server sent before this authorization. */
  challengeScope?: string;
}

/** One session of a client: the jti of every access token its grant chain was issued, and its refresh family. */
export interface Session {
  id: number;
  jtis: string[];
  family?: string;
}

/** A 403 insufficient_scope a session met (`at`: the trace clock), and how that session answered it. */
export interface Insufficient {
  required: string[];
  held: string[];
  at: number;
  session: number;
  /** Index (in `authorizations`) of the session's next authorization request. */
  reauthorized?: number;
  /** The parameters of a refresh_token grant the session sent before authorizing again. */
  refreshed?: Record<string, string>;
}

export interface ClientRecord {
  client_id: string;
  client_name?: string;
  registration?: { method: 'cimd' | 'dcr' | 'pre-registered'; rejected?: string };
  discovery: Discovery;
  /** Each authorization request, in order (first value of each parameter). */
  authorizations: Record<string, string>[];
  /** The token requests that redeemed a code or a refresh token. */
  tokenRequests: Record<string, string>[];
  rejections: Rejection[];
  /** Refusals of the attacks the client declared as its contrasts (CONTRAST_HEADER): shown, never graded. */
  contrasts: Rejection[];
  /** Scopes of the last access token issued to this client. */
  held: string[];
  /** Its sessions (grant chains; sessions.ts says how they are told apart). */
  sessions: Session[];
  /** Code flows under way, by code_challenge: which authorization, and the session it steps up (if it does). */
  codeFlows: Map<string, { index: number; session?: number }>;
  /** Every 403 insufficient_scope this client met, in order. */
  insufficient: Insufficient[];
  bearer: { accepted: number; misplaced?: 'query' | 'body' };
  audience: { accepted: number; rejected?: string };
}

export function newClientRecord(client_id: string): ClientRecord {
  return {
    client_id,
    discovery: {},
    authorizations: [],
    tokenRequests: [],
    rejections: [],
    contrasts: [],
    held: [],
    sessions: [],
    codeFlows: new Map(),
    insufficient: [],
    bearer: { accepted: 0 },
    audience: { accepted: 0 },
  };
}

/**
 * Most clients graded at once. Any web page the user visits can send `/authorize` requests with
 * made-up client_ids (an <img> is enough), and each would otherwise become a record, a card on
 * the terminal and an entry of every report rewrite: memory and time without bound in the
 * orchestrator, whose stalls stall the servers writing their trace to it.
 */
export const MAX_GRADED_CLIENTS = 200;

/**
 * The record to forget when the grader is full: the first-seen one that never got a token
 * (made-up or broken client_ids never do), else the first-seen one. `records` is in the order
 * the clients were first seen.
 */
export function evictionCandidate(records: Iterable<ClientRecord>): ClientRecord | undefined {
  let oldest: ClientRecord | undefined;
  for (const record of records) {
    if (record.held.length === 0) return record;
    oldest ??= record;
  }
  return oldest;
}
