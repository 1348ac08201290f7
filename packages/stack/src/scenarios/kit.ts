/**
 * What every scenario is made of: the lab's URLs, a traced `fetch` (so the exchanges show in the
 * trace like the journey's), and the few honest client moves the misbehaving parties are built
 * from (an authorization request read headlessly, a token request, an MCP call). The servers are
 * the real ones and keep no test-only door: each refusal below is their real rule.
 */
import { createEmitter, type Emit, type Party, type TraceSink } from '@mcp-auth-demo/trace';
import { clientUrls, createTracedFetch, generatePkce, generateState, type Fetch } from '@mcp-auth-demo/client';

export interface ScenarioUrls {
  issuer: string;
  resource: string;
  clientBase: string;
  /** A second MCP server, with its own resource URI, that the same AS issues tokens for. */
  otherResource?: string;
  /** A third, whose access tokens live `SHORT_LIVED_TOKEN_SECONDS` (the AS's per-resource lifetime). */
  shortLivedResource?: string;
}

/** The extra MCP servers a scenario may need, beside the main one. */
export type ExtraServer = 'other-server' | 'short-lived-server';

/** The lifetime of the short-lived server's access tokens: JWT times are whole seconds, so 1 is the least. */
export const SHORT_LIVED_TOKEN_SECONDS = 1;

/**
 * The URL of an extra MCP server the scenario `needs`. One that was not started ends the run
 * (runScenario reports "not held": the scenario could not run).
 */
export function extraServer(ctx: ScenarioContext, which: ExtraServer): string {
  const url = which === 'other-server' ? ctx.urls.otherResource : ctx.urls.shortLivedResource;
  if (!url) throw new Error(`the ${which} MCP server was not started`);
  return url;
}

export interface ScenarioContext {
  urls: ScenarioUrls;
  /** The client's (and the attacker's) traced fetch. */
  fetch: Fetch;
  /** The untraced fetch, for a scenario that runs the whole client (which traces itself). */
  baseFetch: Fetch;
  emit: Emit;
  sink: TraceSink;
  clientId: string;
  redirectUri: string;
}

export interface Refusal {
  by: Party;
  status?: number;
  error?: string;
  /** The rule in words, with its section. */
  rule: string;
  /** Already in the trace (`refusedNow`). */
  announced?: boolean;
}

/** held: the defence stopped the attempt (`refusal` says how); otherwise `why` says what got through. */
export type Outcome = { held: true; refusal: Refusal } | { held: false; why: string };

export const notHeld = (why: string): Outcome => ({ held: false, why });

/**
 * The refusal, announced now rather than after the scenario: for a scenario that goes on to show
 * something more (client-impersonation shows what CIMD cannot stop, after what it does).
 */
export function refusedNow(ctx: ScenarioContext, refusal: Refusal): Outcome {
  ctx.emit('scenario.refused', refusalPayload(refusal));
  return { held: true, refusal: { ...refusal, announced: true } };
}

function refusalPayload({ by, status, error, rule }: Refusal) {
  return { by, rule, ...(status !== undefined && { status }), ...(error && { error }) };
}

export interface Scenario {
  name: string;
  title: string;
  /** One line for `--scenario list`. */
  description: string;
  /** One paragraph: what the refusal teaches. */
  lesson: string;
  /** The extra MCP servers it runs against (`ScenarioUrls.otherResource`, `.shortLivedResource`). */
  needs?: ExtraServer[];
  run(ctx: ScenarioContext): Promise<Outcome>;
}

export function scenarioContext(urls: ScenarioUrls, baseFetch: Fetch, sink: TraceSink): ScenarioContext {
  const emit = createEmitter('client', sink);
  const client = clientUrls(urls.clientBase);
  return { urls, fetch: createTracedFetch(baseFetch, emit), baseFetch, emit, sink, clientId: client.clientId, redirectUri: client.redirectUri };
}

/** Runs one scenario: its heading, the attempt, who refused and how, the verdict and the lesson. */
export async function runScenario(scenario: Scenario, ctx: ScenarioContext): Promise<Outcome> {
  const { issuer, resource, otherResource, shortLivedResource } = ctx.urls;
  const others = [otherResource, shortLivedResource].filter((url): url is string => url !== undefined);
  ctx.emit('scenario.started', { name: scenario.name, title: scenario.title, description: scenario.description, servers: { issuer, resource, others } });
  let outcome: Outcome;
  try {
    outcome = await scenario.run(ctx);
  } catch (error) {
    outcome = { held: false, why: `the scenario could not run: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (outcome.held) {
    const { by, status, error } = outcome.refusal;
    if (!outcome.refusal.announced) ctx.emit('scenario.refused', refusalPayload(outcome.refusal));
    ctx.emit('scenario.finished', { name: scenario.name, held: true, lesson: scenario.lesson, by, ...(status !== undefined && { status }), ...(error && { error }) });
  } else {
    ctx.emit('scenario.finished', { name: scenario.name, held: false, lesson: scenario.lesson, why: outcome.why });
  }
  return outcome;
}

export interface AuthorizationAttempt {
  verifier: string;
  state: string;
  status: number;
  /** The redirect's parameters (code, state, iss, error), when the AS redirected. */
  callback?: URLSearchParams;
  /** The AS's answer when it did not redirect (an error page or JSON). */
  body?: string;
}

/**
 * An authorization request as the headless user agent makes it (consent is auto-approved for
 * loopback redirect URIs), with each parameter overridable; `undefined` omits it.
 */
export async function requestAuthorization(
  ctx: ScenarioContext,
  overrides: Record<string, string | undefined> = {},
): Promise<AuthorizationAttempt> {
  const pkce = generatePkce();
  const state = generateState();
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: ctx.clientId,
    redirect_uri: ctx.redirectUri,
    code_challenge: pkce.code_challenge,
    code_challenge_method: 'S256',
    state,
    resource: ctx.urls.resource,
    scope: 'mcp:connect',
    ...overrides,
  };
  const url = new URL('/authorize', ctx.urls.issuer);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  const response = await ctx.fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    return { verifier: pkce.code_verifier, state, status: response.status, callback: new URL(location, url).searchParams };
  }
  return { verifier: pkce.code_verifier, state, status: response.status, body: await response.text() };
}

export interface TokenAttempt {
  status: number;
  error?: string;
  access_token?: string;
  scope?: string;
}

export async function requestToken(ctx: ScenarioContext, form: Record<string, string | undefined>): Promise<TokenAttempt> {
  const body = new URLSearchParams();
  const fields = { grant_type: 'authorization_code', redirect_uri: ctx.redirectUri, client_id: ctx.clientId, resource: ctx.urls.resource, ...form };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) body.set(k, v);
  const response = await ctx.fetch(new URL('/token', ctx.urls.issuer), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: body.toString(),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return {
    status: response.status,
    ...(typeof json.error === 'string' && { error: json.error }),
    ...(typeof json.access_token === 'string' && { access_token: json.access_token }),
    ...(typeof json.scope === 'string' && { scope: json.scope }),
  };
}

/** A whole honest authorization: a code, redeemed with its verifier. */
export async function obtainToken(ctx: ScenarioContext, scope = 'mcp:connect', resource = ctx.urls.resource): Promise<TokenAttempt> {
  const attempt = await requestAuthorization(ctx, { scope, resource });
  const code = attempt.callback?.get('code');
  if (!code) return { status: attempt.status, error: attempt.callback?.get('error') ?? 'no code' };
  return requestToken(ctx, { code, code_verifier: attempt.verifier, resource });
}

export interface McpAttempt {
  status: number;
  error?: string;
  /** The challenge's `scope`, on a 401 or 403. */
  scope?: string;
  /** The JSON-RPC result's text, when the call went through. */
  text?: string;
}

/** One MCP request with a bearer token (the 2025-11-25 initialize, or a tools/call). */
export async function callMcp(
  ctx: ScenarioContext,
  token: string,
  message: { method: string; params?: Record<string, unknown> },
  resource = ctx.urls.resource,
): Promise<McpAttempt> {
  const response = await ctx.fetch(resource, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...message }),
  });
  const challenge = response.headers.get('www-authenticate') ?? '';
  const error = /error="([^"]+)"/.exec(challenge)?.[1];
  const scope = /scope="([^"]*)"/.exec(challenge)?.[1];
  const json = (await response.json().catch(() => undefined)) as { result?: { content?: { text?: string }[] } } | undefined;
  return { status: response.status, ...(error && { error }), ...(scope !== undefined && { scope }), ...(json?.result?.content?.[0]?.text && { text: json.result.content[0].text }) };
}

export const INITIALIZE = {
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcp-auth-demo-scenario', version: '0.1.0' } },
};

export const callTool = (name: string, args: Record<string, unknown> = {}) => ({ method: 'tools/call', params: { name, arguments: args } });
