/**
 * How the picture (`pnpm demo --html`, the live page of `pnpm serve`) uses each event kind.
 *
 * A `Record` over every kind, so a kind added to the catalogue (trace.ts) does not compile until
 * someone says here how it is drawn, or that it is left out and why:
 * - `section`: opens a section of the diagram (a step, a scenario, the journey itself);
 * - `exchange`: an arrow between two lanes (an HTTP request, a fetch a server made, the browser's hop);
 * - `answer`: the response of an exchange, drawn on its arrow;
 * - `note`: a box over a lane (an attack attempted, a refusal, the verdict of a defence);
 * - `decision`: what a party decided, listed under the exchange that caused it (a note over the
 *   client when the client decided it outside any exchange);
 * - `observation`: what a server received, as the server saw it: the arrow itself when no client
 *   trace exists (the live page: an outside client sends nothing to the lab's trace), and
 *   redundant with the exchange otherwise;
 * - `skip`: left out of the picture, with the reason in the comment.
 */
import type { TraceKind } from './trace.ts';

export type PictureRole = 'section' | 'exchange' | 'answer' | 'note' | 'decision' | 'observation' | 'skip';

export const PICTURE_ROLE: Record<TraceKind, PictureRole> = {
  'journey.started': 'section',
  'step.started': 'section',
  'scenario.started': 'section',
  // The duration is the terminal's business; the picture is about who said what.
  'step.finished': 'skip',
  'journey.succeeded': 'note',
  // The closing comparison of two revisions is a table in the terminal, not an exchange.
  'lesson.eras_compared': 'skip',
  'journey.failed': 'note',

  'http.request': 'exchange',
  'http.response': 'answer',
  'cimd.fetched': 'exchange',
  'jwks.fetched': 'exchange',
  'authorization.callback': 'exchange',
  // At the AS: the RS's question, an arrow RS → AS; at the RS (a cached answer): a decision.
  'token.introspected': 'exchange',

  'authorization.not_required': 'decision',
  'challenge.parsed': 'decision',
  'prm.discovered': 'decision',
  'prm.resource_matched': 'decision',
  'as_metadata.discovered': 'decision',
  'registration.chosen': 'decision',
  'registration.completed': 'decision',
  'scope.selected': 'decision',
  'pkce.generated': 'decision',
  'authorization.requested': 'decision',
  'token.received': 'decision',
  'tool.called': 'decision',
  'tool.result': 'decision',
  'mcp.connected': 'decision',
  'stepup.needed': 'decision',
  'credentials.not_reused': 'decision',
  'tool.skipped': 'decision',
  'tool.failed': 'decision',
  'mcp.session_started': 'decision',
  'mcp.session_ended': 'decision',
  'refresh.decided': 'decision',

  'cimd.cache_hit': 'decision',
  'cimd.validated': 'decision',
  'cimd.rejected': 'decision',
  'client.registered': 'decision',
  'consent.auto_approved': 'decision',
  'consent.refused': 'decision',
  'consent.requested': 'decision',
  'signin.succeeded': 'decision',
  'signin.failed': 'decision',
  'consent.approved': 'decision',
  'consent.denied': 'decision',
  'code.issued': 'decision',
  'code.replayed': 'decision',
  'token.issued': 'decision',
  'token.refreshed': 'decision',
  'refresh_token.reused': 'decision',
  'pkce.verified': 'decision',
  'pkce.failed': 'decision',
  'authorization.received': 'observation',
  'token.requested': 'observation',
  'as_metadata.served': 'observation',

  'token.accepted': 'decision',
  'token.rejected': 'decision',
  'scope.insufficient': 'decision',
  'prm.served': 'observation',
  'token.misplaced': 'decision',
  'origin.rejected': 'decision',
  'tool.invoked': 'decision',
  'mcp.era_detected': 'decision',

  'scenario.attempt': 'note',
  'scenario.contrast': 'note',
  'scenario.refused': 'note',
  'scenario.finished': 'note',
  'contrast.attempted': 'note',
  'contrast.refused': 'note',
  'contrast.not_refused': 'note',
  // pnpm client --grade: a probe is a note over the client (its request is the exchange beside it); the verdict too.
  'server_check.probed': 'note',
  'server_check.graded': 'note',

  // The error answer is already on the exchange's arrow; without a client trace it is the arrow.
  'request.rejected': 'observation',
  // Where a server listens is the cast, not an exchange.
  'server.listening': 'skip',
  'cimd.served': 'observation',

  // The revocation channel (RFC 8935 push): the subscription an arrow RS → AS, each pushed SET an
  // arrow AS → RS, drawn where they happened (a push is caused by the request that revoked:
  // a replayed code); what the RS made of them, a decision (a note over the RS outside any exchange).
  'revocation.subscribed': 'exchange',
  'security_event.pushed': 'exchange',
  'security_event.received': 'decision',
  'revocation_channel.live': 'decision',
  'revocation_channel.lost': 'decision',
};
