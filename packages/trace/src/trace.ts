/**
 * The trace: a typed stream of events that every party emits about what it did and decided.
 *
 * Apps never print. They call the `onEvent` hook from their config; the demo and the CLIs hand
 * every event to the one printer (`trace-printer.ts`). Server processes write their events to
 * stdout as JSON lines (see `formatEventLine`), so the orchestrator can merge all parties into one
 * causal story.
 *
 * Ordering across processes: `at` is read from the machine's monotonic clock
 * (`process.hrtime`, CLOCK_MONOTONIC, shared by every process on the host), in microseconds.
 * Each event is stamped before the message that it causes is sent, so sorting by `at` puts every
 * server decision between the client request that caused it and the response that followed.
 */

import type { ProtocolRevision, Rejection } from '@mcp-auth-demo/common';
import type { ErasLesson } from './eras-lesson.ts';

export type Party = 'client' | 'authorization-server' | 'resource-server' | 'client-host';

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

/** Decoded access-token claims that the trace shows (never the token itself). */
export interface TokenClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  client_id?: string;
  scope?: string;
  exp?: number;
  iat?: number;
  jti?: string;
}

/** Every event kind and its payload. Kinds are named `thing.outcome`. */
export interface TraceEventMap {
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

  // --- authorization server -------------------------------------------------------------
  'cimd.fetched': { client_id: string; status: number; bytes: number; ms: number };
  'cimd.cache_hit': { client_id: string; age_s: number };
  /** `grant_types`: as the document lists them (RFC 7591 §2; absent from events of older servers). */
  'cimd.validated': { client_id: string; client_name: string; redirect_uris: string[]; grant_types?: string[]; cache_for_s: number };
  'cimd.rejected': { client_id: string; reason: string };
  'client.registered': { client_id: string; client_name?: string; redirect_uris: string[] };
  'consent.auto_approved': {
    client_id: string;
    client_host: string;
    /** Where the code is about to be sent: the host of this request's redirect URI. */
    redirect_host: string;
    /** The redirect host is not the client_id's host (a consent page warns). */
    redirect_elsewhere: boolean;
    sub: string;
    scope: string;
    loopback_redirects_only: boolean;
  };
  /** Headless, and the redirect URI is not loopback: nobody to ask, so access_denied. */
  'consent.refused': { client_id: string; redirect_host: string; reason: string };
  /** The AS holds the request and shows the person a page (sign-in first when `sign_in`). */
  'consent.requested': {
    client_id: string;
    client_host: string;
    redirect_host: string;
    redirect_elsewhere: boolean;
    scope: string;
    loopback_redirects_only: boolean;
    sign_in: boolean;
  };
  'signin.succeeded': { sub: string };
  'signin.failed': { attempt: number; max: number };
  /** `new_scopes`: those this person had not granted this client before (step-up). */
  'consent.approved': { client_id: string; sub: string; scope: string; new_scopes: string[] };
  'consent.denied': { client_id: string; sub?: string; scope: string };
  'code.issued': { client_id: string; scope: string; resource: string; expires_in: number };
  'code.replayed': { client_id: string; revoked_tokens: number };
  /**
   * `code_challenge`: the one of the authorization request whose code was redeemed (public: it went
   * through the front channel); `family`: the refresh token family this grant started, if any. Both
   * let the grader follow one session (packages/verdicts/src/sessions.ts).
   */
  'token.issued': { client_id: string; claims: TokenClaims; expires_in: number; code_challenge?: string; family?: string };
  /** A refresh token was exchanged (and rotated) for a new access token; `family`: which family. */
  'token.refreshed': { client_id: string; claims: TokenClaims; expires_in: number; narrowed: boolean; family?: string };
  /** A rotated-out refresh token came back: its whole family is revoked. */
  'refresh_token.reused': { client_id: string; revoked_tokens: number };
  /** RFC 7636 §4.6 at /token: the verifier hashed (S256) and compared with the challenge stored with the code. */
  'pkce.verified': { client_id: string; code_verifier: string; computed_challenge: string; stored_challenge: string };
  'pkce.failed': { client_id: string; code_verifier: string; computed_challenge: string; stored_challenge: string };
  /**
   * RFC 7662: an introspection answer. At the AS: who asked (`caller`), the verdict, and why a
   * token is inactive (`reason`, never sent on the wire). At the RS: the verdict it received, or
   * reused from its short cache (`cached`).
   */
  'token.introspected': { active: boolean; caller?: string; reason?: string; jti?: string; cached?: boolean };
  /**
   * Revocation by push (docs/revocation.md). At the AS: a resource server subscribed to revocation
   * SETs (first in this AS run, or catching up `caught_up` of them); `cursor` is the log's newest entry.
   */
  'revocation.subscribed': { caller: string; resource: string; delivery_url?: string; epoch: string; cursor: number; caught_up: number };
  /** At the AS: a revocation SET (RFC 8417) pushed to a resource server (RFC 8935); `delivered` when it answered 202. */
  'security_event.pushed': { to: string; jti: string; seq: number; status: number | 'no answer'; delivered: boolean };

  /**
   * What a client asked for, as the AS received it (first value of each parameter; secrets
   * shortened). Lets `pnpm serve` grade a client it did not write (packages/verdicts).
   */
  /** `contrast`: the request declared itself the lab client's deliberate attack (CONTRAST_HEADER, common). */
  'authorization.received': { client_id: string; params: Record<string, string>; contrast?: string };
  'token.requested': { client_id?: string; grant_type: string; params: Record<string, string> };
  'as_metadata.served': { path: string };

  // --- resource server ------------------------------------------------------------------
  'jwks.fetched': { url: string; keys: number };
  /** A verified revocation SET: the token `jti` is refused from now on; `via` push (RFC 8935) or catch-up. */
  'security_event.received': { jti: string; seq: number; via: 'push' | 'catch-up' };
  /**
   * The revocation channel to the AS is live: revoked tokens are known here, pushed, and tokens are
   * checked locally (`caught_up`: SETs fetched on (re)connecting; `restarted`: a new AS run).
   */
  'revocation_channel.live': { epoch: string; cursor: number; caught_up: number; restarted: boolean };
  /** The channel is lost (AS down, restarting, refusing): every token is introspected until it is back. Said once. */
  'revocation_channel.lost': { why: string };
  /** `resource`: the RS's own canonical URI, which `aud` was checked against. */
  'token.accepted': { claims: TokenClaims; resource?: string };
  /** `client_id`, `aud`: the claims as the token states them, unverified, only to say whose token it was and for whom. */
  'token.rejected': { reason: string; client_id?: string; aud?: string; contrast?: string };
  /** `client_id`, `jti`: of the token presented, as it states them. */
  'scope.insufficient': { tool: string; required: string[]; held: string[]; client_id?: string; jti?: string };
  'prm.served': { path: string };
  /** A token sent outside the Authorization header (refused); `client_id` as the token claims it, unverified. */
  'token.misplaced': { via: 'query' | 'body'; client_id?: string; contrast?: string };
  'origin.rejected': { origin: string };
  'tool.invoked': { name: string; sub: string };
  /** Which protocol revision a request speaks, and what in the request says so. */
  'mcp.era_detected': { era: ProtocolRevision; method: string; evidence: string };

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

  // --- any server -----------------------------------------------------------------------
  /** An error answer, as `describeRejection` (oauth-error.ts) reads it off the response. */
  'request.rejected': Rejection;
  /** `url` is how clients reach the server; `bound` the address it actually listens on. */
  'server.listening': { url: string; bound: string };

  // --- client metadata host -------------------------------------------------------------
  'cimd.served': { url: string };
}

export type TraceKind = keyof TraceEventMap;

interface TraceEnvelope<K extends TraceKind> {
  kind: K;
  party: Party;
  /** Monotonic microseconds (see the header). */
  at: number;
  /** The spec section that requires what this event shows, e.g. "RFC 9728 §5.1". */
  spec?: string;
}

/** One event: the envelope plus the payload of its kind. A discriminated union on `kind`. */
export type TraceEvent = { [K in TraceKind]: TraceEnvelope<K> & TraceEventMap[K] }[TraceKind];

export type TraceSink = (event: TraceEvent) => void;

/** The payload a party passes to `emit`: the kind's fields, optionally a spec citation. */
export type EmitArgs<K extends TraceKind> = TraceEventMap[K] & { spec?: string };

export type Emit = <K extends TraceKind>(kind: K, payload: EmitArgs<K>) => void;

/** Microseconds on the machine-wide monotonic clock. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Binds a sink to one party, stamping `party` and `at` on every event. */
export function createEmitter(party: Party, sink: TraceSink | undefined): Emit {
  if (!sink) return () => {};
  return (kind, payload) => {
    sink({ ...payload, kind, party, at: monotonicMicros() } as unknown as TraceEvent);
  };
}

/** Marker so a reader of mixed stdout can tell trace lines from anything else a process says. */
const LINE_PREFIX = '{"trace":';

/** Serialises one event as a JSON line (server processes write these to stdout). */
export function formatEventLine(event: TraceEvent): string {
  return `${LINE_PREFIX}${JSON.stringify(event)}}\n`;
}

/** Parses a line written by `formatEventLine`; anything else gives `undefined`. */
export function parseEventLine(line: string): TraceEvent | undefined {
  if (!line.startsWith(LINE_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(line) as { trace?: TraceEvent };
    return parsed.trace && typeof parsed.trace.kind === 'string' ? parsed.trace : undefined;
  } catch {
    return undefined;
  }
}

/** Shows the first characters of a secret (token, code, verifier) and hides the rest. */
export function shorten(secret: string, keep = 8): string {
  return secret.length <= keep ? secret : `${secret.slice(0, keep)}…`;
}
