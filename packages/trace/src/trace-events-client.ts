/**
 * The client's events: its journey, what went over the wire, what it decided; and those of the
 * host that serves its metadata document. One part of the event map (`TraceEventMap`, trace.ts).
 */
import type { ProtocolRevision } from '@mcp-auth-demo/common';
import type { ErasLesson } from './eras-lesson.ts';
import type { TokenClaims } from './trace-events-servers.ts';

export interface ClientEvents {
  // --- the journey (client) --------------------------------------------------------------
  /**
   * `user_agent`: who carries the authorization request (a headless stand-in, or a person's browser).
   * `protocol`: the MCP revision the client was asked to speak.
   */
  'journey.started': { server: string; user_agent?: 'headless' | 'browser'; protocol?: ProtocolRevision | 'auto' };
  'step.started': { step: number; title: string };
  'step.finished': { step: number; title: string; ms: number };
  'journey.succeeded': { ms: number; steps: { step: number; title: string; ms: number }[] };
  /** The closing lesson of a 2026-07-28 run: what changed against 2025-11-25 (eras-lesson.ts). */
  'lesson.eras_compared': ErasLesson;
  'journey.failed': { step?: number; title?: string; expected: string; received: string };

  // --- what went over the wire (client) ---------------------------------------------------
  /** `headers` holds only the headers worth teaching; secrets are already shortened. */
  'http.request': { id: number; method: string; url: string; headers: Record<string, string>; body?: string };
  'http.response': { id: number; status: number; headers: Record<string, string>; body?: string };

  // --- what the client decided ----------------------------------------------------------
  'authorization.not_required': { server: string };
  'challenge.parsed': { status: number; error?: string; scope?: string; resource_metadata?: string };
  'prm.discovered': { url: string; resource: string; authorization_servers: string[]; scopes_supported?: string[] };
  'prm.resource_matched': { resource: string; server: string };
  'as_metadata.discovered': {
    url: string;
    issuer: string;
    code_challenge_methods_supported: string[];
    client_id_metadata_document_supported: boolean;
    registration_endpoint?: string;
  };
  'registration.chosen': { method: 'pre-registered' | 'cimd' | 'dcr'; client_id: string; why: string };
  'registration.completed': { client_id: string; redirect_uris: string[] };
  'scope.selected': { scope?: string; source: 'challenge' | 'scopes_supported' | 'omitted' };
  'pkce.generated': { code_verifier: string; code_challenge: string; code_challenge_method: 'S256' };
  'authorization.requested': { authorization_endpoint: string; params: Record<string, string> };
  /** `user_agent`: who followed the AS's redirect to the callback (a headless stand-in or a person's browser). */
  'authorization.callback': { code: string; state_matched: boolean; iss_matched: boolean; user_agent?: 'headless' | 'browser' };
  'token.received': { access_token: string; claims: TokenClaims; expires_in?: number };
  'tool.called': { name: string; arguments: Record<string, unknown> };
  'tool.result': { name: string; text: string; isError: boolean };
  /** The MCP connection is up: which revision it speaks, what was asked for, what replaced a handshake. */
  'mcp.connected': { revision: string; chosen: ProtocolRevision | 'auto'; handshake: string };
  'stepup.needed': { held: string[]; requested?: string[]; challenged: string[]; requesting: string[]; attempt: number; max: number };
  /** Credentials of one authorization server withheld from another (SEP-2352); the client registers anew. */
  'credentials.not_reused': { client_id: string; bound_to: string; issuer: string };
  /** A listed tool the default selection leaves out, and why (required arguments, tasks). */
  'tool.skipped': { name: string; reason: string };
  /** A tool call that failed (a JSON-RPC error or a transport failure): one failed step, not the journey. */
  'tool.failed': { name: string; reason: string };
  /** The server gave the connection a session (`Mcp-Session-Id`); every later request carries it. */
  'mcp.session_started': { session_id: string };
  /** The client ended its session with an HTTP DELETE; `status` is the server's answer. */
  'mcp.session_ended': { session_id: string; status: number | 'no answer' };
  /** The client holds a refresh token and decides whether to use it (and why). */
  'refresh.decided': { action: 'refresh' | 'reauthorize'; reason: string };

  // --- client metadata host -------------------------------------------------------------
  'cimd.served': { url: string };
}
