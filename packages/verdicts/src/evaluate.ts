/**
 * One verdict per rule, read off a client's record. Each check is a small function returning
 * its verdict and the evidence that decided it (the parameter, or the request line).
 */
import { CHECK_IDS, CHECKS, type Card, type CheckId, type CheckResult, type Verdict } from './checks.ts';
import type { ClientRecord } from './client-record.ts';
import { stepUpNoRefresh, stepUpReauthorizes, stepUpUnion } from './step-up-checks.ts';

export interface GradingContext {
  /** The MCP server's canonical URI: what `resource` must be, and every token's `aud`. */
  resource: string;
  /** The path-aware PRM path (RFC 9728 §3.1), e.g. `/.well-known/oauth-protected-resource/mcp`. */
  prmPath: string;
  scopesSupported: string[];
  /**
   * The other MCP servers the lab's AS issues tokens for (`--resource URL`: someone's own server;
   * the same list the AS is given, own-servers.ts in the stack). A journey that names one of them
   * is graded against that server: its `resource`, and not the lab's PRM, challenge or tokens,
   * which that server serves and checks out of the lab's sight.
   */
  ownServers?: readonly string[];
}

/** The MCP server a client's journey is graded against: the resource it named, when the AS issues for it. */
export function targetOf(c: ClientRecord, ctx: GradingContext): { resource: string; own: boolean } {
  const named = c.authorizations[0]?.resource;
  return named !== undefined && ctx.ownServers?.includes(named) ? { resource: named, own: true } : { resource: ctx.resource, own: false };
}

/** Why a check of what happens at someone's own MCP server cannot be made by the lab. */
const atOwnServer = (resource: string, what: string) => `${what} at ${resource}, your own MCP server: the lab does not see it (pnpm client ${resource} --grade tests that server)`;

/** Below this many characters a `state` is too short to be unguessable (128 bits ≈ 22 base64url characters). */
const SHORT_STATE = 22;

type Outcome = [Verdict, string];
const words = (scope: string | undefined) => (scope ?? '').split(' ').filter(Boolean);
const same = (a: string[], b: string[]) => a.length === b.length && a.every((s) => b.includes(s));
const authorized = (c: ClientRecord) => c.authorizations.length > 0;

/** Step-up answers a 403 that someone's own MCP server sends: not seen by the lab. */
function atOwn(c: ClientRecord, ctx: GradingContext): Outcome | undefined {
  const target = targetOf(c, ctx);
  return target.own ? ['not-seen', atOwnServer(target.resource, 'its 403 insufficient_scope answers are sent')] : undefined;
}

const checks: Record<CheckId, (c: ClientRecord, ctx: GradingContext, now: number) => Outcome> = {
  'prm-discovery': (c, ctx) => {
    const target = targetOf(c, ctx);
    if (target.own) return ['not-seen', atOwnServer(target.resource, 'its Protected Resource Metadata is served')];
    const path = c.discovery.prmPath;
    if (path === ctx.prmPath) return ['pass', `GET ${path} (before its authorization request)`];
    if (path) return ['warn', `GET ${path}: not this server's path-aware metadata URL ${ctx.prmPath} (RFC 9728 §3.1)`];
    return authorized(c) ? ['fail', `no GET ${ctx.prmPath} before its authorization request`] : ['not-seen', 'no authorization request yet'];
  },
  'as-discovery': (c) => {
    const path = c.discovery.asMetadataPath;
    if (path) return ['pass', `GET ${path} (before its authorization request)`];
    return authorized(c) ? ['fail', 'authorized without reading the authorization server metadata first'] : ['not-seen', 'no authorization request yet'];
  },
  registration: (c) => {
    if (c.registration?.rejected) return ['fail', `client metadata document refused: ${c.registration.rejected}`];
    if (/^https?:\/\//.test(c.client_id)) return authorized(c) ? ['pass', `cimd: client_id is the URL of its metadata document`] : ['not-seen', 'no authorization request yet'];
    if (c.registration?.method === 'dcr') return ['pass', 'dcr: POST /register (RFC 7591)'];
    return ['pass', 'pre-registered (or registered before this server started grading)'];
  },
  'pkce-s256': (c) => {
    if (!authorized(c)) return ['not-seen', 'no authorization request yet'];
    for (const p of c.authorizations) {
      if (!p.code_challenge) return ['fail', 'no code_challenge on the authorization request'];
      if (p.code_challenge_method !== 'S256') return ['fail', `code_challenge_method=${p.code_challenge_method ?? '(absent: means plain)'}`];
    }
    return ['pass', 'code_challenge_method=S256'];
  },
  state: (c) => {
    if (!authorized(c)) return ['not-seen', 'no authorization request yet'];
    const shortest = Math.min(...c.authorizations.map((p) => p.state?.length ?? 0));
    if (shortest === 0) return ['fail', 'an authorization request without state'];
    if (shortest < SHORT_STATE) return ['warn', `state of ${shortest} characters: too short to be unguessable (128 bits is ${SHORT_STATE})`];
    return ['pass', `state sent (${shortest}+ characters)`];
  },
  'resource-on-authorize': (c, ctx) => {
    if (!authorized(c)) return ['not-seen', 'no authorization request yet'];
    const { resource } = targetOf(c, ctx);
    const bad = c.authorizations.find((p) => p.resource !== resource);
    if (!bad) return ['pass', `resource=${resource}`];
    return ['fail', bad.resource === undefined ? 'no resource parameter on the authorization request' : `resource=${bad.resource}, not ${resource}`];
  },
  'resource-on-token': (c, ctx) => {
    if (c.tokenRequests.length === 0) return ['not-seen', 'no token request yet'];
    const { resource } = targetOf(c, ctx);
    const bad = c.tokenRequests.find((p) => p.resource !== resource);
    if (!bad) return ['pass', `resource=${resource}`];
    return ['fail', bad.resource === undefined ? `no resource parameter on the token request (grant_type=${bad.grant_type})` : `resource=${bad.resource}, not ${resource}`];
  },
  'redirect-uri': (c) => {
    const refused = c.rejections.find((r) => r.path.endsWith('/authorize') && /redirect_uri/.test(r.error_description));
    if (refused) return ['fail', refused.error_description];
    const last = c.authorizations.at(-1);
    const token = c.tokenRequests.filter((t) => t.grant_type === 'authorization_code').at(-1);
    if (!last || !token) return ['not-seen', 'no code redeemed yet'];
    if (token.redirect_uri !== last.redirect_uri) return ['fail', `token request redirect_uri=${token.redirect_uri ?? '(absent)'}, authorization used ${last.redirect_uri}`];
    const contrast = c.contrasts.some((r) => r.contrast === 'redirect_uri') ? '; its declared redirect_uri contrast was refused, as it should be (not graded)' : '';
    return ['pass', `redirect_uri=${last.redirect_uri} (registered, repeated at /token)${contrast}`];
  },
  'scope-from-challenge': (c, ctx) => {
    const first = c.authorizations[0];
    if (!first) return ['not-seen', 'no authorization request yet'];
    const target = targetOf(c, ctx);
    if (target.own) return ['not-seen', atOwnServer(target.resource, 'its 401 challenge and its scopes_supported are sent')];
    const asked = words(first.scope);
    const challenge = c.discovery.challengeScope;
    if (challenge !== undefined) {
      const wanted = words(challenge);
      if (same(asked, wanted)) return ['pass', `scope="${first.scope}", as the 401 challenge said`];
      if (wanted.every((s) => asked.includes(s))) return ['warn', `scope="${first.scope ?? ''}": more than the challenge's "${challenge}" (the challenge is authoritative)`];
      return ['fail', `scope="${first.scope ?? '(absent)'}", but the 401 challenge said scope="${challenge}"`];
    }
    if (asked.length === 0 || same(asked, ctx.scopesSupported)) return ['pass', `scope="${first.scope ?? '(omitted)'}" (no challenge scope seen)`];
    return ['warn', `scope="${first.scope}", neither a challenge's scope nor scopes_supported`];
  },
  'step-up-union': (c, ctx) => atOwn(c, ctx) ?? stepUpUnion(c),
  'step-up-no-refresh': (c, ctx) => atOwn(c, ctx) ?? stepUpNoRefresh(c),
  'step-up-reauthorizes': (c, ctx, now) => atOwn(c, ctx) ?? stepUpReauthorizes(c, now),
  'bearer-header': (c, ctx) => {
    const target = targetOf(c, ctx);
    if (target.own) return ['not-seen', atOwnServer(target.resource, 'its tokens are presented')];
    if (c.bearer.misplaced) return ['fail', `access token sent in the ${c.bearer.misplaced === 'query' ? 'query string (access_token=…)' : 'request body'}`];
    if (c.bearer.accepted > 0) return ['pass', `Authorization: Bearer on ${c.bearer.accepted} request(s)`];
    return ['not-seen', 'no MCP request with its token yet'];
  },
  'token-audience': (c, ctx) => {
    const target = targetOf(c, ctx);
    if (target.own) return ['not-seen', atOwnServer(target.resource, 'its tokens are presented')];
    if (c.audience.rejected) return ['fail', `the MCP server refused its token: ${c.audience.rejected}`];
    if (c.audience.accepted > 0) return ['pass', `${c.audience.accepted} token(s) presented, each with aud = this server`];
    return ['not-seen', 'no MCP request with its token yet'];
  },
};

/** `now`: the grader's clock, in the trace's microseconds (step-up-reauthorizes waits on it). */
export function evaluate(client: ClientRecord, context: GradingContext, now: number): Card {
  const results: CheckResult[] = CHECK_IDS.map((id) => {
    const [verdict, evidence] = checks[id](client, context, now);
    return { id, verdict, evidence, rule: CHECKS[id] };
  });
  return { client_id: client.client_id, ...(client.client_name ? { client_name: client.client_name } : {}), checks: results };
}
