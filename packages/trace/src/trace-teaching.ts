/**
 * What the default trace says besides the events themselves: who takes part (the cast), why each
 * step happens, and the recap at the end. Plain sentences for a reader who knows HTTP but not
 * OAuth; each names the need or the threat, and the rule's section where it is stated.
 *
 * Pure data and pure functions of the events, used by the lesson printer (trace-lesson.ts).
 */
import type { TraceEvent } from './trace.ts';

type Of<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

export interface CastUrls {
  server: string;
  authorizationServer?: string;
  clientHost?: string;
  /** Who follows the AS's redirects: a headless stand-in (simulated) or a person's browser. */
  userAgent: 'headless' | 'browser';
  /** The RS subscribed to the AS's revocation events before step [1] (its channel is live). */
  revocationPush?: boolean;
}

/** The cast, printed before step [1]: one line per party, with the short name used afterwards. */
export function cast(urls: CastUrls): string[] {
  const user = urls.userAgent === 'headless'
    ? ['  user    a person and their browser, signing in and approving at the AS. SIMULATED: headless, consent auto-approved']
    : ['  user    you, in your browser: you sign in at the AS and approve access; the browser brings the code back'];
  return [
    'Who takes part (the short names used below):',
    ...user,
    urls.clientHost
      ? `  client  the MCP client (this program); client-host serves a document about it at ${urls.clientHost} (CIMD)`
      : '  client  the MCP client (this program); it identifies itself by a metadata document URL (CIMD) or registers (DCR)',
    `  AS      the authorization server${urls.authorizationServer ? ` ${urls.authorizationServer}` : ' (found by discovery in step [1])'}:` +
      ' signs the user in, asks consent, issues tokens',
    `  RS      the MCP server ${urls.server}, a "resource server": accepts only tokens issued for it`,
    ...(urls.revocationPush
      ? ['          subscribed to the AS\'s revocations (pushed to it, RFC 8935), it checks tokens without asking the AS']
      : []),
    // MCP "Communication Security" asks for https; the lab's loopback http is a named deviation, gone with --https.
    ...(isLabHttp(urls)
      ? ['  (all over plain http on loopback, the lab\'s one transport deviation: --https serves them over TLS)']
      : []),
  ];
}

/** Every party the cast names is on loopback and at least one speaks plain http. */
function isLabHttp(urls: CastUrls): boolean {
  const named = [urls.server, urls.authorizationServer, urls.clientHost].filter((url): url is string => url !== undefined && URL.canParse(url));
  const loopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return named.every((url) => loopback(new URL(url))) && named.some((url) => new URL(url).protocol === 'http:');
}

/** What a step is about, read from the title the client gave it (journey.ts). */
export type StepTopic = 'discovery' | 'authorization' | 're-authorization' | 'refresh' | 'step-up' | 'retry' | 'call' | 'list-tools' | 'end-session';

export function stepTopic(title: string): StepTopic | undefined {
  if (title.startsWith('Discovery')) return 'discovery';
  if (title.startsWith('Authorization')) return 'authorization';
  if (title.startsWith('Re-authorization')) return 're-authorization';
  if (title.startsWith('Refresh')) return 'refresh';
  if (title.startsWith('Step-up')) return 'step-up';
  if (title.startsWith('Retry')) return 'retry';
  if (title.startsWith('Call')) return 'call';
  if (title.startsWith('List tools')) return 'list-tools';
  if (title.startsWith('End the session')) return 'end-session';
  return undefined;
}

/** One plain sentence of why, under each step heading. */
export const STEP_WHY: Record<StepTopic, string> = {
  discovery:
    'The client knows only the server\'s URL: the 401 says where its metadata (PRM) is, which names the AS to ask.',
  authorization:
    'the user\'s browser visits the AS, the user approves, and a one-time code comes back for the client to exchange.',
  're-authorization':
    'The RS refused the token (expired or revoked): the client gets a new one the same way, instead of failing.',
  'step-up':
    'a new authorization, for everything asked for before plus what is missing: the new token replaces the old one.',
  refresh:
    'The RS refused the access token (expired, or revoked), but the grant behind it may stand: the client trades its refresh ' +
    'token for a new access token, without the user (RFC 6749 §6), and the AS rotates the refresh token (OAuth 2.1 §4.3.1).',
  retry: 'The same call with the new token, which is valid and holds the scope the tool needs.',
  call: 'every MCP request carries the token (a header, never the URL); the RS checks it each time before acting.',
  'list-tools': 'No tool was named, so the client asks the server which tools it has.',
  'end-session':
    'The server kept state for this client (a session, named by Mcp-Session-Id); the client says it is done with an ' +
    'HTTP DELETE, so the server frees it now instead of when it expires (MCP transports, "Session Management").',
};

/** Why-lines attached to the decisions that teach a rule, shown under the line of that decision. */
export const DECISION_WHY = {
  selfDescribing:
    'MCP 2026-07-28 has no handshake and no session: each request names its revision (header and _meta), its ' +
    'method and its tool (Mcp-Method, Mcp-Name), so any instance of the server, or a load balancer reading headers, ' +
    'can answer it; the server refuses a header that disagrees with the body (400 -32020).',
  prm: 'the client checks that the PRM is about this very server, so another site\'s metadata cannot redirect it.',
  cimd: 'claiming a client_id URL gets nothing: the AS reads the document there and sends codes only where it says.',
  dcr: 'The AS has never seen this client: it registers its redirect URI and gets a client_id (RFC 7591).',
  pkce: 'whoever intercepts the code cannot redeem it without the verifier, which never leaves the client.',
  state: 'state proves this client started the request (no CSRF);',
  iss: 'iss, that the code is from the AS it asked (RFC 9207).',
  audience: 'the token names the one server it is for (aud = resource): any other server must refuse it (RFC 8707 §2).',
  revocation: 'the keys prove the AS signed the token; only the AS knows if it was since revoked, so the RS asks (RFC 7662).',
  insufficientScope: 'a token holds only what the user approved; the RS names the scope it lacks (RFC 6750 §3.1).',
} as const;

/** Each event with the number of the step it happened in. */
function withSteps(events: readonly TraceEvent[]): { event: TraceEvent; step: number }[] {
  let step = 0;
  return events.map((event) => {
    if (event.kind === 'step.started') step = event.step;
    return { event, step };
  });
}

/** A line of the closing recap: what the run demonstrated, tied to the step that showed it. */
export type RecapRule = (events: { event: TraceEvent; step: number }[]) => string | undefined;

const first = <K extends TraceEvent['kind']>(events: { event: TraceEvent; step: number }[], kind: K) =>
  events.find((e) => e.event.kind === kind) as { event: Of<K>; step: number } | undefined;

/** In order; a rule whose events did not happen says nothing. Other parties add rules here. */
export const RECAP_RULES: RecapRule[] = [
  (events) => {
    const prm = first(events, 'prm.discovered');
    return prm && `[${prm.step}] A 401 pointed to the server's metadata (PRM), which named the AS to ask and the scope to ask for.`;
  },
  (events) => {
    const chosen = first(events, 'registration.chosen');
    if (!chosen) return undefined;
    if (chosen.event.method === 'cimd') {
      const validated = first(events, 'cimd.validated');
      // Say what the AS did only when its own events showed it (pnpm client sees no AS events).
      const refused = events.find((e) => e.event.kind === 'contrast.refused' && e.event.contrast === 'redirect_uri');
      if (validated && refused) return `[${validated.step}] The client's id is a URL: the AS read the document there, and refused a redirect_uri it does not list.`;
      return validated
        ? `[${validated.step}] The client's id is a URL: the AS fetched the document there and sent the code only where it says.`
        : `[${chosen.step}] The client's id is the URL of its metadata document (CIMD), which the AS fetches itself.`;
    }
    if (chosen.event.method === 'dcr') return `[${chosen.step}] The client registered itself with the AS (DCR) and used the client_id it got.`;
    return `[${chosen.step}] The client used its pre-registered client_id.`;
  },
  (events) => {
    const pkce = first(events, 'pkce.verified');
    const thief = events.find((e) => e.event.kind === 'contrast.refused' && e.event.contrast === 'pkce');
    if (pkce && thief) return `[${pkce.step}] PKCE: the real verifier matched the challenge; a copied code with a thief's verifier was refused.`;
    return pkce && `[${pkce.step}] PKCE: the AS hashed the verifier and matched the challenge; the code alone was worthless to a thief.`;
  },
  (events) => {
    const callback = first(events, 'authorization.callback');
    return callback && callback.event.state_matched && callback.event.iss_matched
      ? `[${callback.step}] state and iss matched: the code answered this client's own request, from the AS it asked.`
      : undefined;
  },
  (events) => {
    const accepted = first(events, 'token.accepted');
    if (!accepted) return undefined;
    const aud = accepted.event.claims.aud;
    if (events.some((e) => e.event.kind === 'contrast.refused' && e.event.contrast === 'audience')) {
      return `[${accepted.step}] The RS accepted the token whose aud is this server, and refused one issued for another server.`;
    }
    return `[${accepted.step}] The RS accepted the token because, among other checks, its aud (${Array.isArray(aud) ? aud.join(' ') : aud}) is this server.`;
  },
  (events) => {
    const insufficient = first(events, 'scope.insufficient');
    if (!insufficient) return undefined;
    const missing = insufficient.event.required.filter((s) => !insufficient.event.held.includes(s));
    return `[${insufficient.step}] ${insufficient.event.tool} was refused with 403 insufficient_scope, naming what it needs (${missing.join(' ')}).`;
  },
  (events) => {
    const refreshed = events.find((e) => e.event.kind === 'refresh.decided' && e.event.action === 'refresh');
    return refreshed && `[${refreshed.step}] A refused (expired) token did not end the session: the refresh token got a new one, no user needed.`;
  },
  (events) => {
    const stepUp = first(events, 'stepup.needed');
    return stepUp &&
      `[${stepUp.step}] Step-up asked again, for "${stepUp.event.requesting.join(' ')}": the new token kept what the old one had.`;
  },
];

/** The closing recap: 5-8 lines for the demo's journey, fewer for a shorter one. */
export function recap(history: readonly TraceEvent[]): string[] {
  const events = withSteps(history);
  return RECAP_RULES.map((rule) => rule(events)).filter((line): line is string => line !== undefined).slice(0, 8);
}
