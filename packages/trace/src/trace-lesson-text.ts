/**
 * One event as the lesson words it (trace-lesson.ts decides which events to show, in what
 * order, and how they collapse): the short sentence for a decision, a request's body, a
 * challenge or a redirect as a learner needs to read them, and the "why" under a decision.
 */
import kleur from 'kleur';
import type { TraceEvent } from './trace.ts';
import { describe, list } from './trace-describe.ts';
import { DECISION_WHY } from './trace-teaching.ts';
import { newlyConsented } from './trace-lesson-quiet.ts';

export type Of<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

/** The lesson's line width (it wraps to it). */
export const WIDTH = 120;

/** Wraps a sentence at WIDTH, every line starting with `indent` (the first with `lead` instead). */
export function wrap(text: string, indent: string, lead = indent): string[] {
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

export function why(text: string, depth: string): string[] {
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return wrap(text, `${depth}     `, `${depth}why: `).map((l) => kleur.italic(l));
}

/** A form body shortened to what teaches: the grant and the PKCE verifier (the rest by name). */
export function lessonBody(body: string): string {
  if (!body.startsWith('form: ')) return body;
  const fields = body.slice(6).split(' ').map((f) => f.split('='));
  const keep = new Set(['code_verifier']);
  return fields.map(([k = '', ...v]) => (keep.has(k) ? `${k}=${v.join('=')}` : k)).join(' ');
}

/** A Bearer challenge without the prose (the RS's own line says it); a 403 without the metadata URL already known. */
export function lessonChallenge(header: string, status: number): string {
  let shown = header.replace(/,?\s*error_description="(?:[^"\\]|\\.)*"/, '');
  if (status === 403) shown = shown.replace(/,?\s*resource_metadata="[^"]*"/, '');
  return shown;
}

/** A redirect's Location with the secret values (shown on the callback line) left out. */
export function lessonLocation(location: string): string {
  return location.replace(/([?&](?:code|state)=)[^&]*/g, '$1…');
}

/** Lesson wording for the events whose verbose line is a wire detail; undefined = the verbose sentence. */
export function lessonText(event: TraceEvent, prm?: Of<'prm.discovered'>, history: readonly TraceEvent[] = []): string[] | undefined {
  const earlier = (kind: TraceEvent['kind']) => history.slice(0, history.indexOf(event)).some((e) => e.kind === kind);
  switch (event.kind) {
    case 'challenge.parsed':
      return event.status === 401
        ? [`learns: ask for scope "${event.scope ?? '(none named)'}"; resource_metadata says how to get a token`]
        : [`learns: ${event.error ?? 'refused'}; this call needs scope "${event.scope ?? '?'}"`];
    case 'prm.discovered':
      return [`PRM (protected resource metadata): trusts AS ${list(event.authorization_servers)}` +
        (event.scopes_supported ? `, scopes ${list(event.scopes_supported)}` : '')];
    case 'prm.resource_matched':
      return [`PRM: resource = this server; AS ${list(prm?.authorization_servers ?? [])}` +
        (prm?.scopes_supported ? `; scopes ${list(prm.scopes_supported)}` : '')];
    case 'as_metadata.discovered':
      return [`AS metadata: issuer ${event.issuer}, PKCE ${list(event.code_challenge_methods_supported)}` +
        `, CIMD ${event.client_id_metadata_document_supported ? 'supported' : 'not supported'}`];
    case 'registration.chosen':
      return [event.method === 'cimd'
        ? `client_id = ${event.client_id}: the URL of the client's own metadata document (CIMD)`
        : `client registration: ${event.method}; client_id=${event.client_id}`];
    case 'pkce.generated':
      return [`PKCE: a secret code_verifier=${event.code_verifier} stays here; only its SHA-256 (code_challenge) goes out`];
    case 'authorization.callback':
      return [
        `browser → client's callback: ` +
          `code=${event.code}, state ${event.state_matched ? 'matches' : 'DIFFERS'}, iss ${event.iss_matched ? 'matches' : 'DIFFERS'}`,
      ];
    case 'consent.auto_approved': {
      // A step-up's consent is asked for what is new only: the rest was approved before.
      const added = newlyConsented(event, history);
      if (added && added.length > 0) return [`consent (SIMULATED, auto-approved) for the new scope only: ${event.sub} adds "${added.join(' ')}"`];
      return [`consent (SIMULATED, auto-approved): ${event.sub} gives ${event.client_host} "${event.scope}"` +
        (event.redirect_host === event.client_host ? '' : `, code to ${event.redirect_host}`) +
        (event.redirect_elsewhere ? ' (a consent page would warn: the code goes to another host than the client_id\'s)' : '')];
    }
    case 'code.issued':
      return [`code issued (one use, ${event.expires_in}s), bound to client, redirect_uri, code_challenge, scope and resource`];
    case 'token.issued': {
      const { iss, sub, client_id, aud, scope, exp, iat } = event.claims;
      const lifetime = `exp ${exp ? new Date(exp * 1000).toISOString().slice(11, 19) : '?'}Z, ${exp && iat ? exp - iat : event.expires_in} s after it was issued`;
      if (earlier('token.issued')) return [`new access token: scope "${scope ?? ''}"; iss, sub, client_id, aud as before; ${exp && iat ? exp - iat : event.expires_in} s`];
      return [
        'access token issued, a JWT signed by the AS (RFC 9068); its claims, decoded (the signature not shown):',
        `  iss=${iss ?? '?'}  sub=${sub ?? '?'}  client_id=${client_id ?? '?'}`,
        `  aud=${audience(aud)} (= resource)  scope="${scope ?? ''}"  ${lifetime}`,
      ];
    }
    case 'token.received':
      return [`the client got access token ${event.access_token} (opaque to it: only the RS reads it)`];
    case 'pkce.verified':
      return [`PKCE verified: SHA-256(verifier ${event.code_verifier}) = ${event.computed_challenge.slice(0, 8)}… = challenge stored with the code`];
    case 'pkce.failed':
      return [`PKCE failed: SHA-256(verifier ${event.code_verifier}) = ${event.computed_challenge.slice(0, 8)}… ≠ challenge stored with the code`];
    case 'token.accepted':
      return [`token valid, aud ${audience(event.claims.aud)}` +
        `${event.resource && audience(event.claims.aud) === event.resource ? ' = this server' : ''}, scope "${event.claims.scope ?? ''}"`];
    case 'stepup.needed': {
      // Say the union only as far as this run shows it: it adds something only when the challenge left a scope out.
      const before = event.requested ?? event.held;
      const added = event.requesting.filter((s) => !event.challenged.includes(s));
      return [added.length === 0
        ? `asks for "${event.requesting.join(' ')}", what the challenge names (it includes "${before.join(' ')}", asked for before)`
        : `asks for "${event.requesting.join(' ')}": the challenged "${event.challenged.join(' ')}" plus "${added.join(' ')}" asked for before, which the new token would lose otherwise`];
    }
    case 'cimd.validated':
      return [
        `fetched the client's metadata document: valid (its client_id is its own URL, the redirect_uri is listed)`,
        `  client_name "${event.client_name}"${event.grant_types ? `, grant_types ${list(event.grant_types)}` : ''}`,
        `  redirect_uris ${list(event.redirect_uris)}`,
      ];
    case 'token.rejected':
      return event.reason === 'wrong_audience' && event.aud ? [`token rejected: its aud is not this server`] : undefined;
    case 'request.rejected':
      return event.error === 'insufficient_scope' ? [`${event.method} ${event.path} → ${event.status} ${event.error}`] : undefined;
    case 'jwks.fetched':
      return [`fetched the AS's signing keys (${event.keys}) from ${event.url}, to check token signatures itself`];
    case 'tool.result':
      // A long line wraps once behind the gutter (the reader wants the last fields too), then is cut.
      return describe(event).flatMap((l) => (l.length > WIDTH - 4 && l.startsWith('  │ ') ? [l.slice(0, WIDTH - 4), `  │ ${l.slice(WIDTH - 4)}`] : [l]))
        .map((l) => (l.length > WIDTH - 4 ? `${l.slice(0, WIDTH - 5)}…` : l));
    default:
      return undefined;
  }
}

function audience(aud: string | string[] | undefined): string {
  return Array.isArray(aud) ? aud.join(' ') : aud ?? '(none)';
}

/** The why-line under a decision that teaches a rule. */
export function decisionWhy(event: TraceEvent): string[] {
  switch (event.kind) {
    case 'prm.resource_matched':
      return [DECISION_WHY.prm];
    case 'registration.chosen':
      return event.method === 'cimd' ? [DECISION_WHY.cimd] : event.method === 'dcr' ? [DECISION_WHY.dcr] : [];
    case 'pkce.generated':
      return [DECISION_WHY.pkce];
    case 'authorization.callback':
      return [`${DECISION_WHY.state} ${DECISION_WHY.iss}`];
    case 'token.issued':
      return [DECISION_WHY.audience];
    case 'scope.insufficient':
      return [DECISION_WHY.insufficientScope];
    case 'mcp.connected':
      return event.revision === '2026-07-28' ? [DECISION_WHY.selfDescribing] : [];
    case 'token.introspected':
      return [DECISION_WHY.revocation];
    default:
      return [];
  }
}
