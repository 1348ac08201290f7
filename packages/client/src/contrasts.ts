/**
 * The contrasts: beside a step of the journey, the attack that the step's rule stops, made for
 * real against the real servers (contrast.* events, trace.ts). Each is the attempt, the server's
 * answer, and the rule in words; a server that does not refuse fails the journey.
 *
 *   redirect_uri  an authorization request in this client's name whose redirect_uri its metadata
 *                 does not list: the AS must show the error, never redirect (RFC 6749 §4.1.2.1)
 *   pkce          a code redeemed without its verifier (a guessed one): invalid_grant (RFC 7636 §4.6)
 *   audience      a token the AS issued for another MCP server, presented to this one:
 *                 401 invalid_token (RFC 8707 §2, RFC 9068 §4; MCP forbids token passthrough)
 *
 * PKCE and audience need a code of their own: a decoy authorization, so the journey's own code
 * is never burnt. A decoy needs a user agent that asks no person (`decoys`); the audience
 * contrast also needs a resource the AS issues tokens for besides this server (`otherResource`),
 * so against someone else's server only the contrasts that the client can run are made.
 *
 * Each attack request names its contrast in CONTRAST_HEADER (common oauth-error.ts): no server
 * decides by it, and `pnpm serve`'s client verdicts grade the client by its own flow, not by
 * the attack it made in its own name on purpose.
 */
import { CONTRAST_HEADER } from '@mcp-auth-demo/common';
import type { ContrastName, Emit, Party } from '@mcp-auth-demo/trace';
import { addClientAuthentication, type AuthorizationRequest } from './authorize.ts';
import { generatePkce, generateState } from './pkce.ts';
import { StepFailure } from './step-failure.ts';
import type { Fetch } from './traced-fetch.ts';
import { headlessUserAgent, withoutQuery, type UserAgent } from './user-agent.ts';

export interface ContrastOptions {
  /** Make the contrasts that need a decoy authorization: only with a user agent that asks no person. */
  decoys: boolean;
  /** A resource URI the AS issues tokens for that is not this MCP server (the audience contrast; absent: not made). */
  otherResource?: string;
}

interface ContrastContext {
  fetch: Fetch;
  emit: Emit;
  userAgent?: UserAgent;
  options: ContrastOptions;
  /** The MCP revision the connection speaks: a 2026-07-28 request names it, its method and tool in headers. */
  revision?: string;
}

/** Where an attacker would collect a code, if the AS redirected to any redirect_uri. */
const ATTACKER_REDIRECT = 'https://attacker.example/callback';

/** Step [2], after the journey's own token: the redirect_uri check, then PKCE. */
export async function contrastsOfAuthorization(request: AuthorizationRequest, ctx: ContrastContext): Promise<void> {
  await redirectUriContrast(request, ctx);
  if (ctx.options.decoys) await pkceContrast(request, ctx);
}

/** After the first call the token was accepted for: a token of another audience, refused. */
export async function contrastsOfCall(request: AuthorizationRequest, serverUrl: string, ctx: ContrastContext): Promise<void> {
  if (ctx.options.decoys && ctx.options.otherResource) await audienceContrast(request, serverUrl, ctx.options.otherResource, ctx);
}

async function redirectUriContrast(request: AuthorizationRequest, ctx: ContrastContext): Promise<void> {
  const rule = 'an unregistered redirect_uri is shown as an error, never redirected to (RFC 6749 §4.1.2.1)';
  ctx.emit('contrast.attempted', {
    contrast: 'redirect_uri',
    attempt: `this client's client_id with redirect_uri ${ATTACKER_REDIRECT}`,
    threat: 'A client_id is public: anyone can start an authorization in its name and pick where the code goes.',
  });
  const url = authorizationUrl({ ...request, redirectUri: ATTACKER_REDIRECT }, generatePkce().code_challenge, generateState());
  // The MUST is "never redirected there" (RFC 6749 §4.1.2.1: the AS SHOULD show an error and
  // MUST NOT redirect to the invalid URI). An AS may first send the browser to a page of its own
  // (a sign-in that checks later): those redirects on its own origin are followed, a few at most.
  let answer = url;
  for (let hop = 0; ; hop++) {
    const response = await ctx.fetch(answer, { redirect: 'manual', headers: { [CONTRAST_HEADER]: 'redirect_uri' } });
    await response.body?.cancel();
    const location = response.headers.get('location');
    const target = location ? new URL(location, answer) : undefined;
    if (target && withoutQuery(target) === ATTACKER_REDIRECT) {
      return notRefused(ctx, 'redirect_uri', 'authorization-server', response.status, `a redirect to ${ATTACKER_REDIRECT}`, rule);
    }
    if (target && target.origin === url.origin && hop < 3) {
      answer = target;
      continue;
    }
    ctx.emit('contrast.refused', { contrast: 'redirect_uri', by: 'authorization-server', status: response.status, rule, spec: 'RFC 6749 §4.1.2.1' });
    return;
  }
}

async function pkceContrast(request: AuthorizationRequest, ctx: ContrastContext): Promise<void> {
  const rule = 'a code is redeemed only with the verifier whose SHA-256 it was issued for (RFC 7636 §4.6)';
  ctx.emit('contrast.attempted', {
    contrast: 'pkce',
    attempt: 'a thief redeems a copied code with a verifier of its own',
    threat: 'Codes pass through the browser: address bar, history, logs, an app on the same redirect URI.',
    aside: 'a decoy code: the journey\'s own is never burnt',
  });
  const { code } = await decoyAuthorization(request, ctx);
  const response = await redeem(request, code, generatePkce().code_verifier, ctx);
  const body = await response.json().catch(() => ({})) as { error?: unknown; access_token?: unknown };
  if (response.status === 400 && body.error === 'invalid_grant') {
    ctx.emit('contrast.refused', { contrast: 'pkce', by: 'authorization-server', status: 400, error: 'invalid_grant', rule, spec: 'RFC 7636 §4.6' });
  } else {
    notRefused(ctx, 'pkce', 'authorization-server', response.status, typeof body.access_token === 'string' ? 'an access token' : `error ${String(body.error)}`, rule);
  }
}

async function audienceContrast(request: AuthorizationRequest, serverUrl: string, otherResource: string, ctx: ContrastContext): Promise<void> {
  const rule = 'a token works only where its aud says; no token passthrough (RFC 8707 §2, RFC 9068 §4)';
  ctx.emit('contrast.attempted', {
    contrast: 'audience',
    attempt: `a token for another MCP server (aud ${otherResource}) sent here`,
    threat: 'Each MCP server you use gets your token; a malicious one could replay it at the others.',
    aside: 'decoy authorization',
  });
  const other = { ...request, resource: otherResource };
  const decoy = await decoyAuthorization(other, ctx);
  const token = await redeem(other, decoy.code, decoy.verifier, ctx);
  const { access_token } = await token.json().catch(() => ({})) as { access_token?: unknown };
  if (token.status !== 200 || typeof access_token !== 'string') {
    throw new StepFailure(`a token for ${otherResource} (the audience contrast)`, `HTTP ${token.status} from the token endpoint`);
  }
  const response = await ctx.fetch(serverUrl, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
      ...(ctx.revision === '2026-07-28' && { 'MCP-Protocol-Version': ctx.revision, 'Mcp-Method': 'tools/call', 'Mcp-Name': 'whoami' }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
  });
  await response.body?.cancel();
  const challenge = response.headers.get('www-authenticate') ?? '';
  if (response.status === 401 && /error="invalid_token"/.test(challenge)) {
    ctx.emit('contrast.refused', { contrast: 'audience', by: 'resource-server', status: 401, error: 'invalid_token', rule, spec: 'RFC 8707 §2, RFC 9068 §4' });
  } else {
    notRefused(ctx, 'audience', 'resource-server', response.status, 'the token passed the token check', rule);
  }
}

function notRefused(ctx: ContrastContext, contrast: ContrastName, by: Party, status: number, received: string, rule: string): never {
  ctx.emit('contrast.not_refused', { contrast, by, status, received, rule });
  throw new StepFailure(`a refusal (the ${contrast} contrast): ${rule}`, `HTTP ${status}, ${received}`);
}

function authorizationUrl(request: AuthorizationRequest, codeChallenge: string, state: string): URL {
  const url = new URL(request.metadata.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: 'code', client_id: request.client.client_id, redirect_uri: request.redirectUri,
    code_challenge: codeChallenge, code_challenge_method: 'S256', state, resource: request.resource,
    ...(request.scope !== undefined && { scope: request.scope }),
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}

/** A decoy authorization: a code of its own (and its verifier), for the contrast only, never the journey's. */
async function decoyAuthorization(request: AuthorizationRequest, ctx: ContrastContext): Promise<{ code: string; verifier: string }> {
  const pkce = generatePkce();
  const state = generateState();
  const userAgent = ctx.userAgent ?? headlessUserAgent(ctx.fetch);
  const callback = await userAgent(authorizationUrl(request, pkce.code_challenge, state), request.redirectUri);
  const code = callback.searchParams.get('code');
  // RFC 6749 §10.12: the decoy's answer is checked like any other.
  if (callback.searchParams.get('state') !== state || !code) {
    throw new StepFailure('a code for the decoy authorization of a contrast', `${withoutQuery(callback)} with ${code ? 'another state' : 'no code'}`);
  }
  return { code, verifier: pkce.code_verifier };
}

async function redeem(request: AuthorizationRequest, code: string, code_verifier: string, ctx: ContrastContext): Promise<Response> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: request.redirectUri, code_verifier, resource: request.resource });
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', [CONTRAST_HEADER]: 'decoy' };
  addClientAuthentication(request.client, form, headers);
  return ctx.fetch(request.metadata.token_endpoint, { method: 'POST', headers, body: form.toString() });
}
