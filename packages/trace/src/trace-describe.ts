/**
 * The sentence for each event kind, without party label, indentation, colour or citation: shared
 * by the full wire view (trace-printer.ts) and the lesson (trace-lesson.ts).
 */
import type { Party, TraceEvent } from './trace.ts';
import { claimsLine, list, splitQuery } from './trace-text.ts';

export { claimsLine, list, pathOf, splitQuery } from './trace-text.ts';

/** The parties as the scenario lines name them. */
export const PARTY_NAMES: Record<Party, string> = {
  client: 'the client',
  'authorization-server': 'the AS',
  'resource-server': 'the RS',
  'client-host': 'client-host',
};

/** The text of one event, without party label, indentation or citation. */
export function describe(event: TraceEvent): string[] {
  switch (event.kind) {
    case 'journey.started':
      return [`MCP server: ${event.server}${event.protocol ? ` (MCP ${event.protocol})` : ''}`];
    case 'step.started':
      return [`[${event.step}] ${event.title}`];
    case 'step.finished':
      return [`done in ${event.ms} ms`];
    case 'journey.succeeded':
      return [
        `Journey complete: ${event.steps.length} step${event.steps.length === 1 ? '' : 's'} in ${event.ms} ms ` +
          `(${event.steps.map((s) => `[${s.step}] ${s.ms} ms`).join(', ')})`,
      ];
    case 'lesson.eras_compared':
      return [
        `What changed from MCP ${event.compared_with} to ${event.revision}, as this run showed it:`,
        ...event.differences.flatMap((d) => [`  ${d.topic}`, `    ${event.compared_with}: ${d.before}`, `    ${event.revision}: ${d.now}`, `    (${d.spec})`]),
      ];
    case 'journey.failed':
      return [
        `Journey failed${event.step ? ` at step [${event.step}] ${event.title ?? ''}` : ''}`.trimEnd(),
        `  expected: ${event.expected}`,
        `  received: ${event.received}`,
      ];
    case 'http.request': {
      const [url, query] = splitQuery(event.url);
      return [
        `→ ${event.method} ${url}${event.body ? `  ${event.body}` : ''}`,
        ...query,
        ...Object.entries(event.headers).map(([k, v]) => `    ${k}: ${v}`),
      ];
    }
    case 'http.response':
      return [
        `← ${event.status}${event.body ? `  ${event.body}` : ''}`,
        ...Object.entries(event.headers).map(([k, v]) => `    ${k}: ${v}`),
      ];
    case 'authorization.not_required':
      return [`${event.server} answered without asking for a token: no authorization needed yet`];
    case 'challenge.parsed':
      return [
        `challenge (${event.status}): ` +
          [
            event.error && `error=${event.error}`,
            event.scope !== undefined && `scope="${event.scope}"`,
            event.resource_metadata && `resource_metadata=${event.resource_metadata}`,
          ]
            .filter(Boolean)
            .join(', '),
      ];
    case 'prm.discovered':
      return [
        `protected resource metadata from ${event.url}`,
        `  resource=${event.resource} authorization_servers=${list(event.authorization_servers)}` +
          (event.scopes_supported ? ` scopes_supported=${list(event.scopes_supported)}` : ''),
      ];
    case 'prm.resource_matched':
      return [`PRM resource ${event.resource} matches the server ${event.server}`];
    case 'as_metadata.discovered':
      return [
        `authorization server metadata from ${event.url}`,
        `  issuer=${event.issuer} code_challenge_methods_supported=${list(event.code_challenge_methods_supported)}` +
          ` client_id_metadata_document_supported=${event.client_id_metadata_document_supported}` +
          (event.registration_endpoint ? ` registration_endpoint=${event.registration_endpoint}` : ''),
      ];
    case 'registration.chosen':
      return [`client registration: ${event.method} (${event.why}); client_id=${event.client_id}`];
    case 'registration.completed':
      return [`registered: client_id=${event.client_id} redirect_uris=${list(event.redirect_uris)}`];
    case 'scope.selected':
      return [`scope ${event.scope === undefined ? 'omitted' : `"${event.scope}"`} (from ${event.source})`];
    case 'pkce.generated':
      return [`PKCE: code_verifier=${event.code_verifier} code_challenge=${event.code_challenge} (S256)`];
    case 'authorization.requested':
      return [
        `authorization request: PKCE challenge, state, resource=${event.params.resource}` +
          (event.params.scope === undefined ? ', no scope' : `, scope "${event.params.scope}"`),
      ];
    case 'authorization.callback':
      return [
        `redirect back${event.user_agent ? ` (via the ${event.user_agent === 'headless' ? 'headless stand-in for the browser' : 'browser'})` : ''}: ` +
          `code=${event.code}, state ${event.state_matched ? 'matches' : 'DIFFERS'}, iss ${event.iss_matched ? 'matches' : 'DIFFERS'}`,
      ];
    case 'token.received':
      return [
        `access token ${event.access_token}` + (event.expires_in ? ` (expires_in ${event.expires_in}s)` : ''),
        `  claims: ${claimsLine(event.claims)}`,
      ];
    case 'tool.called':
      return [`call tool ${event.name} ${JSON.stringify(event.arguments)}`];
    case 'tool.result':
      // The server's own text, behind a gutter: a line it forges cannot pass for one of ours.
      return [`${event.isError ? 'tool error' : 'result'} from ${event.name}:`, ...event.text.split('\n').map((l) => `  │ ${l}`)];
    case 'credentials.not_reused':
      return [`client_id ${event.client_id} belongs to ${event.bound_to}: not sent to ${event.issuer}; registering there anew`];
    case 'mcp.connected':
      return [`MCP ${event.revision} (asked for ${event.chosen}); handshake: ${event.handshake}`];
    case 'tool.skipped':
      return [`skip tool ${event.name}: ${event.reason}`];
    case 'tool.failed':
      return [`tool ${event.name} failed: ${event.reason}`];
    case 'mcp.session_started':
      return [`session ${event.session_id} (Mcp-Session-Id): every later request carries it`];
    case 'mcp.session_ended':
      return [`session ${event.session_id} ended: DELETE → ${event.status}`];
    case 'stepup.needed':
      return [
        `step-up ${event.attempt}/${event.max}: ${event.requested ? `requested before "${event.requested.join(' ')}"` : `held "${event.held.join(' ')}"`}` +
          ` + challenged "${event.challenged.join(' ')}"` +
          ` → ask for "${event.requesting.join(' ')}"`,
      ];
    case 'cimd.fetched':
      return [`fetched client metadata document ${event.client_id} → ${event.status}, ${event.bytes} bytes, ${event.ms} ms`];
    case 'cimd.cache_hit':
      return [`client metadata document ${event.client_id} from cache (age ${event.age_s}s)`];
    case 'cimd.validated':
      return [
        `client metadata document valid: client_name="${event.client_name}" redirect_uris=${list(event.redirect_uris)}` +
          (event.grant_types ? ` grant_types=${list(event.grant_types)}` : '') +
          ` (cache ${event.cache_for_s}s)`,
      ];
    case 'cimd.rejected':
      return [`client metadata document ${event.client_id} rejected: ${event.reason}`];
    case 'client.registered':
      return [`registered client ${event.client_id}${event.client_name ? ` ("${event.client_name}")` : ''}`];
    case 'consent.auto_approved':
      return [
        `consent auto-approved for ${event.sub} (demo deviation): client ${event.client_host}, ` +
          `code to ${event.redirect_host}, scope "${event.scope}"` +
          (event.redirect_elsewhere ? ' (warning: the code goes to another host than the client_id\'s)' : '') +
          (event.loopback_redirects_only ? ' (warning: every redirect URI is loopback)' : ''),
      ];
    case 'consent.refused':
      return [`consent refused for ${event.client_id}: ${event.reason} (code would go to ${event.redirect_host}) → access_denied`];
    case 'consent.requested':
      return [
        `asks the person${event.sign_in ? ' to sign in, then' : ''} to consent: client ${event.client_host}, ` +
          `code to ${event.redirect_host}, scope "${event.scope}"` +
          (event.redirect_elsewhere ? ' (page warns: the code goes to another host than the client_id\'s)' : '') +
          (event.loopback_redirects_only ? ' (page warns: every redirect URI is loopback)' : ''),
      ];
    case 'signin.succeeded':
      return [`${event.sub} signed in`];
    case 'signin.failed':
      return [`sign-in failed (${event.attempt}/${event.max})`];
    case 'consent.approved':
      return [
        `${event.sub} approved scope "${event.scope}"` +
          (event.new_scopes.length > 0 ? ` (new: ${event.new_scopes.join(' ')})` : ' (nothing new)'),
      ];
    case 'consent.denied':
      return [`${event.sub ?? 'the person'} ${event.sub ? 'denied the request on the consent page' : 'cancelled the sign-in'}: access_denied goes back to the client`];
    case 'code.issued':
      return [`authorization code issued: scope "${event.scope}", resource ${event.resource}, expires in ${event.expires_in}s`];
    case 'code.replayed':
      return [`authorization code replayed by ${event.client_id}: refused, ${event.revoked_tokens} token(s) revoked`];
    case 'pkce.verified':
      return [`PKCE verified: SHA-256(code_verifier ${event.code_verifier}) = ${event.computed_challenge} = the code_challenge stored with the code`];
    case 'pkce.failed':
      return [`PKCE failed: SHA-256(code_verifier ${event.code_verifier}) = ${event.computed_challenge}, but the code was issued for ${event.stored_challenge}`];
    case 'token.issued':
      return [`access token issued (expires in ${event.expires_in}s): ${claimsLine(event.claims)}`];
    case 'token.refreshed':
      return [`access token refreshed${event.narrowed ? ' (narrowed)' : ''}, refresh token rotated (expires in ${event.expires_in}s): ${claimsLine(event.claims)}`];
    case 'refresh_token.reused':
      return [`rotated refresh token reused by ${event.client_id}: refused, family revoked, ${event.revoked_tokens} access token(s) revoked`];
    case 'refresh.decided':
      return [event.action === 'refresh' ? `refresh the access token: ${event.reason}` : `authorize again, not refresh: ${event.reason}`];
    case 'token.introspected':
      return [
        `introspection (RFC 7662): token ${event.active ? 'active' : `INACTIVE${event.reason ? ` (${event.reason})` : ''}`}` +
          (event.caller ? `, asked by ${event.caller}` : '') +
          (event.cached ? ' (cached answer)' : ''),
      ];
    case 'jwks.fetched':
      return [`fetched ${event.keys} signing key(s) from ${event.url}`];
    case 'revocation.subscribed':
      return [
        `${event.caller} subscribed to revocation events for ${event.resource}` +
          (event.delivery_url ? ` (pushed to ${event.delivery_url}, RFC 8935)` : '') +
          (event.caught_up > 0 ? `; caught up on ${event.caught_up}` : ''),
      ];
    case 'security_event.pushed':
      return [`revocation of token ${event.jti} (#${event.seq}) pushed as a SET to ${event.to}: ${event.delivered ? '202 accepted' : `NOT delivered (${event.status})`}`];
    case 'security_event.received':
      return [`revocation SET verified (${event.via === 'push' ? 'pushed, RFC 8935' : 'caught up'}): token ${event.jti} (#${event.seq}) is refused from now on`];
    case 'revocation_channel.live':
      return [
        `revocation channel to the AS live${event.restarted ? ' (a new AS run)' : ''}: tokens checked locally, revocations pushed` +
          (event.caught_up > 0 ? `; caught up on ${event.caught_up}` : ''),
      ];
    case 'revocation_channel.lost':
      return [`revocation channel LOST (${event.why}): every token is introspected at the AS until it is back (fail closed)`];
    case 'token.accepted':
      return [`token accepted: ${claimsLine(event.claims)}${event.resource ? ` (aud checked against this server, ${event.resource})` : ''}`];
    case 'token.rejected':
      return [`token rejected: ${event.reason}`];
    case 'scope.insufficient':
      return [`${event.tool} needs "${event.required.join(' ')}", token has "${event.held.join(' ')}"`];
    case 'origin.rejected':
      return [`Origin ${event.origin} refused (DNS rebinding protection)`];
    case 'tool.invoked':
      return [`tool ${event.name} invoked for ${event.sub}`];
    case 'mcp.era_detected':
      return [`${event.method}: MCP ${event.era} (${event.evidence})`];
    case 'scenario.started':
      return [`Scenario ${event.name}: ${event.title}`, `  ${event.description}`];
    case 'scenario.attempt':
      return [`⚔ ${event.actor}: ${event.what}`];
    case 'scenario.contrast':
      return [`✓ beside it, ${event.actor}: ${event.what}`];
    case 'scenario.refused':
      return [`⛔ refused by ${PARTY_NAMES[event.by]}${event.status !== undefined ? `: ${event.status}` : ''}${event.error ? ` ${event.error}` : ''}`, `  rule: ${event.rule}`];
    case 'scenario.finished':
      return event.held
        ? [`✔ defence held (${event.name})`, `Lesson: ${event.lesson}`]
        : [`✘ defence NOT held (${event.name}): ${event.why ?? ''}`, `Lesson (what should have happened): ${event.lesson}`];
    case 'contrast.attempted':
      return [`⚔ contrast (${event.contrast}): ${event.attempt}`, `  threat: ${event.threat}`, ...(event.aside ? [`  (${event.aside})`] : [])];
    case 'contrast.refused':
      return [`⛔ refused by ${PARTY_NAMES[event.by]}: ${event.status}${event.error ? ` ${event.error}` : ''}`, `  rule: ${event.rule}`];
    case 'contrast.not_refused':
      return [`✘ NOT refused by ${PARTY_NAMES[event.by]}: ${event.status}, ${event.received}`, `  rule not enforced: ${event.rule}`];
    case 'server_check.probed':
      return [`◇ check ${event.check}: ${event.probe}`];
    case 'server_check.graded': {
      const mark = { pass: '✔', fail: '✘', warn: '!', 'not-seen': '·' }[event.verdict];
      return [`${mark} ${event.check}: ${event.verdict}, ${event.evidence}`, ...(event.verdict === 'fail' || event.verdict === 'warn' ? [`  rule: ${event.rule}`] : [])];
    }
    case 'request.rejected':
      return [`${event.method} ${event.path} → ${event.status} ${event.error}: ${event.error_description}`];
    case 'server.listening':
      return [`listening on ${event.url} (bound to ${event.bound})`];
    case 'cimd.served':
      return [`served the client metadata document ${event.url}`];
    case 'authorization.received':
      return [`authorization request from ${event.client_id}: ${['scope', 'resource', 'code_challenge_method', 'state'].map((k) => `${k}=${k === 'state' && event.params[k] ? `(${event.params[k].length} chars)` : (event.params[k] ?? '(absent)')}`).join(' ')}`];
    case 'token.requested':
      return [`token request (grant_type=${event.grant_type || '(absent)'}) from ${event.client_id ?? '(no client_id)'}: resource=${event.params.resource ?? '(absent)'}`];
    case 'as_metadata.served':
    case 'prm.served':
      return [`served ${event.kind === 'prm.served' ? 'protected resource' : 'authorization server'} metadata at ${event.path}`];
    case 'token.misplaced':
      return [`an access token arrived in the ${event.via === 'query' ? 'query string' : 'request body'}${event.client_id ? ` (client ${event.client_id})` : ''}: refused`];
    default:
      return describeUnknown(event);
  }
}

/**
 * A kind this printer has no sentence for yet (another party added it): its name and its
 * fields, so nothing is silently dropped.
 */
function describeUnknown(event: TraceEvent): string[] {
  const { kind, party: _party, at: _at, spec: _spec, ...fields } = event as TraceEvent & Record<string, unknown>;
  const shown = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [[kind, ...shown].join(' ')];
}

