/**
 * The scenarios: in each, one party misbehaves through a small explicit variant (a client that
 * skips a parameter, an attacker step), and another party refuses for the real reason.
 */
import { callMcp, callTool, extraServer, INITIALIZE, notHeld, obtainToken, refusedNow, requestAuthorization, requestToken, type Outcome, type Scenario } from './kit.ts';
import { expiredToken } from './expired-token.ts';
import { generatePkce, headlessUserAgent, runJourney, type UserAgent } from '@mcp-auth-demo/client';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const missingResource: Scenario = {
  name: 'missing-resource',
  title: 'A client that omits the resource parameter',
  description: 'the client leaves out `resource` (RFC 8707): the AS will not issue a token of unknown audience',
  lesson:
    'A token must say which server it is for. A client that omits `resource` asks for a token with no audience; ' +
    'one real editor client did, and every call it made failed. This AS refuses at once with invalid_target ' +
    '(RFC 8707 §2, MCP "Resource Parameter Implementation": the client MUST send resource on both requests), ' +
    'sending the error back to the client\'s redirect URI, so the mistake shows up at authorization, not as ' +
    'mysterious 401s later.',
  async run(ctx) {
    ctx.emit('scenario.attempt', { actor: 'faulty client', what: 'an authorization request without resource' });
    const attempt = await requestAuthorization(ctx, { resource: undefined });
    const error = attempt.callback?.get('error');
    if (error === 'invalid_target' || error === 'invalid_request') {
      return { held: true, refusal: { by: 'authorization-server', status: attempt.status, error, rule: 'resource is required: the canonical URI of the MCP server (RFC 8707 §2; MCP)' } };
    }
    if (attempt.callback?.get('code')) return notHeld('the AS issued a code for a request without resource');
    return notHeld(`unexpected answer ${attempt.status}`);
  },
};

export const tokenForAnotherServer: Scenario = {
  name: 'token-for-another-server',
  title: 'A token issued for another MCP server, presented to this one',
  description: 'a second MCP server passes on a token it legitimately received: this RS refuses it on aud',
  needs: ['other-server'],
  lesson:
    'Every MCP server your client talks to receives your token. If servers accepted any token from the same AS, ' +
    'a malicious or compromised one could replay yours against all the others (the confused deputy; MCP forbids ' +
    'this "token passthrough"). So the client names the server in `resource`, the AS writes it into `aud`, and ' +
    'each RS accepts only tokens whose aud is its own canonical URI (RFC 8707 §2, RFC 9068 §4). The token works ' +
    'where it was meant to, and nowhere else.',
  async run(ctx) {
    const other = extraServer(ctx, 'other-server');
    const token = await obtainToken(ctx, 'mcp:connect', other);
    if (!token.access_token) return notHeld(`no token for the other server (${token.error ?? token.status})`);
    const there = await callMcp(ctx, token.access_token, INITIALIZE, other);
    if (there.status !== 200) return notHeld(`the token did not work at its own server (${there.status})`);
    ctx.emit('scenario.attempt', { actor: 'the other MCP server', what: `replay the token it received (aud=${other}) at ${ctx.urls.resource}` });
    const here = await callMcp(ctx, token.access_token, INITIALIZE);
    if (here.status === 200) return notHeld('this MCP server accepted a token issued for another one');
    return { held: true, refusal: { by: 'resource-server', status: here.status, error: here.error ?? '', rule: 'aud must name this server (RFC 8707 §2, RFC 9068 §4); no token passthrough (MCP)' } };
  },
};

export const stolenCode: Scenario = {
  name: 'stolen-code',
  title: 'An attacker redeems an intercepted code',
  description: 'an attacker who intercepted the code redeems it without the verifier, then with its own (PKCE)',
  lesson:
    'The code travels through the browser, where other apps, logs or a malicious redirect can see it. PKCE ' +
    'binds it to a secret the client never sent: the AS stored SHA-256(code_verifier) with the code and ' +
    'compares it at /token (RFC 7636 §4.6). Without the verifier the request is malformed; with a verifier of the ' +
    'attacker\'s own the hash differs, invalid_grant, and the code is burnt so the real client cannot be raced either.',
  async run(ctx) {
    const victim = await requestAuthorization(ctx);
    const code = victim.callback?.get('code');
    if (!code) return notHeld('no code to steal: the honest authorization failed');
    ctx.emit('scenario.attempt', { actor: 'attacker', what: 'redeem the intercepted code without any code_verifier' });
    const bare = await requestToken(ctx, { code, code_verifier: undefined });
    if (bare.access_token) return notHeld('the AS issued a token for a code without its verifier');
    ctx.emit('scenario.attempt', { actor: 'attacker', what: 'redeem it with a code_verifier of its own' });
    const own = await requestToken(ctx, { code, code_verifier: generatePkce().code_verifier });
    if (own.access_token) return notHeld('the AS issued a token to a verifier that does not match the challenge');
    return { held: true, refusal: { by: 'authorization-server', status: own.status, error: own.error ?? '', rule: 'SHA-256(code_verifier) must equal the stored code_challenge (RFC 7636 §4.6)' } };
  },
};

export const codeReplay: Scenario = {
  name: 'code-replay',
  title: 'A code redeemed twice',
  description: 'the same code is redeemed a second time: refused, and the token of the first use is revoked at the RS too',
  lesson:
    'A code is single-use (RFC 6749 §4.1.2): a second redemption means someone else has it, so the AS refuses ' +
    'it and revokes what the first one issued. Revocation only protects if the MCP server hears of it: here ' +
    'the AS pushes the revocation to the RS as a signed Security Event Token (RFC 8935, RFC 8417) before it ' +
    'answers the replay, so the revoked token stops working at once instead of at its expiry, and the RS need ' +
    'not ask the AS about every token. While that channel is down, the RS asks about each token instead (RFC 7662 ' +
    'introspection): it fails closed. --introspect-every-request shows that way.',
  async run(ctx) {
    const attempt = await requestAuthorization(ctx);
    const code = attempt.callback?.get('code');
    if (!code) return notHeld('the honest authorization failed');
    const first = await requestToken(ctx, { code, code_verifier: attempt.verifier });
    if (!first.access_token) return notHeld('the first, honest redemption failed');
    const before = await callMcp(ctx, first.access_token, INITIALIZE);
    if (before.status !== 200) return notHeld(`the fresh token did not work (${before.status})`);
    ctx.emit('scenario.attempt', { actor: 'attacker', what: 'redeem the same code a second time' });
    const second = await requestToken(ctx, { code, code_verifier: attempt.verifier });
    if (second.access_token) return notHeld('the AS redeemed a code twice');
    ctx.emit('scenario.attempt', { actor: 'attacker', what: 'use the token that the first redemption issued' });
    const after = await callMcp(ctx, first.access_token, INITIALIZE);
    if (after.status === 200) return notHeld('the token issued from the replayed code still works at the MCP server');
    return { held: true, refusal: { by: 'resource-server', status: after.status, error: after.error ?? '', rule: 'a replayed code revokes its tokens (RFC 6749 §4.1.2); the RS hears of it, pushed (RFC 8935) or by asking (RFC 7662)' } };
  },
};

export const redirectHijack: Scenario = {
  name: 'redirect-hijack',
  title: 'An authorization request with a foreign redirect_uri',
  description: 'the redirect_uri is not in the client\'s metadata document: the AS shows the error, never redirects',
  lesson:
    'If the AS redirected to any redirect_uri, an attacker could start an authorization in the client\'s name and ' +
    'collect the code at its own address. The AS compares redirect_uri exactly with the ones the client\'s ' +
    'metadata document lists (OAuth 2.1 §4.1.1, CIMD §4), and an invalid redirect_uri is shown to the user, ' +
    'never redirected to (RFC 6749 §4.1.2.1): the code never leaves.',
  async run(ctx) {
    ctx.emit('scenario.attempt', { actor: 'attacker', what: 'start an authorization for the real client with redirect_uri https://attacker.example/cb' });
    const attempt = await requestAuthorization(ctx, { redirect_uri: 'https://attacker.example/cb' });
    if (attempt.callback) return notHeld(`the AS redirected (${attempt.status}) instead of showing the error`);
    if (attempt.status < 400) return notHeld(`the AS answered ${attempt.status}`);
    return { held: true, refusal: { by: 'authorization-server', status: attempt.status, error: errorOf(attempt.body), rule: 'redirect_uri must be one the client registered, compared exactly; shown, not redirected (RFC 6749 §4.1.2.1)' } };
  },
};

export const clientImpersonation: Scenario = {
  name: 'client-impersonation',
  title: 'A metadata document that claims another client\'s id',
  description: 'an attacker hosts a CIMD document claiming the real client\'s id; then presents the real id with its own loopback port',
  lesson:
    'With CIMD the client_id is a URL, and the AS trusts what it fetches from that URL only. A document hosted ' +
    'elsewhere that claims the real client\'s id is refused: its client_id must equal the URL it was fetched ' +
    'from (CIMD §4.1, simple string comparison). So the attacker presents the real id itself, whose document ' +
    'lists the real client\'s loopback redirect; a loopback port may vary (RFC 8252 §7.3), so a redirect to the ' +
    'attacker\'s own port passes. MCP says it plainly: CIMD cannot prevent localhost impersonation. The defence ' +
    'there is a person: the consent page MUST show the redirect host and SHOULD warn when every redirect is ' +
    'loopback (MCP "Localhost Redirect URI Risks"); ours names both hosts. Headless, this demo auto-approves ' +
    'loopback requests (a named deviation), so run pnpm demo --interactive to see that page.',
  async run(ctx) {
    const host = await attackerDocumentHost(ctx.clientId);
    const attackerPort = new URL(host.url).port;
    let refusal: Outcome;
    try {
      ctx.emit('scenario.attempt', { actor: 'attacker', what: `use client_id ${host.url}, a document that says client_id=${ctx.clientId}` });
      const attempt = await requestAuthorization(ctx, { client_id: host.url, redirect_uri: host.redirect });
      if (attempt.callback?.get('code')) return notHeld('the AS accepted a document that claims another client_id');
      refusal = refusedNow(ctx, { by: 'authorization-server', status: attempt.status, error: errorOf(attempt.body) || (attempt.callback?.get('error') ?? ''), rule: 'the document\'s client_id must equal its own URL (CIMD §4.1)' });
    } finally {
      await host.close();
    }
    // The limit of CIMD, shown rather than refused: the real id, with the attacker's own loopback port.
    const lookalike = `http://localhost:${attackerPort}/callback`;
    ctx.emit('scenario.attempt', { actor: 'attacker', what: `present the real client_id with redirect_uri ${lookalike} (a loopback port may vary, RFC 8252 §7.3): only a consent page can catch this` });
    await requestAuthorization(ctx, { redirect_uri: lookalike });
    return refusal;
  },
};

export const mixUp: Scenario = {
  name: 'authorization-server-mix-up',
  title: 'An authorization response from the wrong AS',
  description: 'the client is handed a response whose iss is not the AS it asked (RFC 9207): it refuses before redeeming',
  lesson:
    'A client that talks to several authorization servers must know which one answered, or an attacker\'s AS can ' +
    'get the client to send it a code issued by an honest one (the mix-up attack). The AS puts `iss` in its ' +
    'response; the client compares it exactly with the issuer it started with and discards a mismatch before ' +
    'redeeming anything (RFC 9207 §2.4).',
  async run(ctx) {
    // The real client (runJourney); only the user agent is the attacker's: it swaps the response's iss.
    const honest = headlessUserAgent(ctx.fetch);
    const tampering: UserAgent = async (url, redirectUri) => {
      const callback = await honest(url, redirectUri);
      ctx.emit('scenario.attempt', { actor: 'attacker', what: 'deliver the code with iss=https://evil-as.example (another AS)' });
      callback.searchParams.set('iss', 'https://evil-as.example');
      return callback;
    };
    const result = await runJourney({
      serverUrl: ctx.urls.resource,
      registration: { clientMetadataUrl: ctx.clientId, redirectUri: ctx.redirectUri, clientName: 'MCP Auth Demo Client' },
      calls: [{ name: 'whoami', arguments: {} }],
      userAgent: tampering,
      fetch: ctx.baseFetch,
      onEvent: ctx.sink,
    });
    if (result.ok) return notHeld('the client redeemed a code from a response with another issuer');
    if (!result.failure?.expected.includes('iss=')) return notHeld(`the journey failed for another reason: ${result.failure?.received ?? '?'}`);
    return { held: true, refusal: { by: 'client', rule: `iss must equal the issuer the client started with; got ${result.failure.received}, code not redeemed (RFC 9207 §2.4)` } };
  },
};

export const scopeOverwrite: Scenario = {
  name: 'scope-overwrite',
  title: 'A naive client asks only for the missing scope on step-up',
  description: 'on 403 insufficient_scope the naive client asks for weather:read alone, and loses mcp:connect; beside it, the union rule',
  lesson:
    'A new token replaces the old one. A naive client that asks only for the scope it was missing gets a token ' +
    'for that scope alone and loses what it had: here mcp:connect, which every call needs, so even get_weather, ' +
    'the call it stepped up for, is refused with 403 insufficient_scope. The MCP step-up rule is to ask for the ' +
    'union of the scopes asked for before and the challenged ones (MCP "Step-Up Authorization Flow", SEP-2350): ' +
    'that client keeps mcp:connect and gets its weather. This RS also names every scope the call needs in its ' +
    'challenge (MCP "Scope Challenge Handling"), which helps a client that copies the challenge; the union rule ' +
    'holds even against a server that names only the new scope.',
  async run(ctx) {
    const start = await obtainToken(ctx, 'mcp:connect');
    if (!start.access_token) return notHeld(`the first authorization failed (${start.error ?? start.status})`);
    const challenge = await callMcp(ctx, start.access_token, callTool('get_weather', { city: 'Paris' }));
    if (challenge.status !== 403 || challenge.scope === undefined) return notHeld(`get_weather with mcp:connect alone answered ${challenge.status}, not a 403 challenge`);
    const held = ['mcp:connect'];
    const challenged = challenge.scope.split(' ').filter(Boolean);
    const missing = challenged.filter((s) => !held.includes(s));
    ctx.emit('scenario.attempt', { actor: 'naive client', what: `step up asking only for what it lacks, "${missing.join(' ')}", not for held ∪ challenged` });
    const naive = await obtainToken(ctx, missing.join(' '));
    if (!naive.access_token) return notHeld(`the naive step-up got no token (${naive.error ?? naive.status})`);
    const retried = await callMcp(ctx, naive.access_token, callTool('get_weather', { city: 'Paris' }));
    if (retried.status === 200) return notHeld('get_weather answered a token without mcp:connect');
    const outcome = refusedNow(ctx, { by: 'resource-server', status: retried.status, error: retried.error ?? '', rule: 'every call needs mcp:connect, and the new token holds only what was asked (RFC 6750 §3.1)' });
    const union = [...new Set([...held, ...challenged])].join(' ');
    ctx.emit('scenario.contrast', { actor: 'a client following the union rule', what: `step up asking for held ∪ challenged = "${union}"` });
    const kept = await obtainToken(ctx, union);
    const weather = kept.access_token ? await callMcp(ctx, kept.access_token, callTool('get_weather', { city: 'Paris' })) : undefined;
    if (weather?.status !== 200) return notHeld(`the union step-up did not get the weather either (${weather?.status ?? kept.error ?? kept.status}): the scenario shows nothing`);
    return outcome;
  },
};

function errorOf(body: string | undefined): string {
  if (!body) return '';
  try {
    const json = JSON.parse(body) as { error?: unknown };
    if (typeof json.error === 'string') return json.error;
  } catch {
    // An HTML error page: its error code is in the text.
  }
  return /\b(invalid_[a-z_]+|unauthorized_client|access_denied)\b/.exec(body)?.[1] ?? '';
}

/** The attacker's own loopback web server, serving a document that claims the real client's id. */
async function attackerDocumentHost(claimedClientId: string): Promise<{ url: string; redirect: string; close: () => Promise<void> }> {
  let base = '';
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ client_id: claimedClientId, client_name: 'MCP Auth Demo Client', redirect_uris: [`${base}/callback`], token_endpoint_auth_method: 'none' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/client-metadata.json`,
    redirect: `${base}/callback`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const SCENARIOS: Scenario[] = [missingResource, tokenForAnotherServer, stolenCode, codeReplay, redirectHijack, clientImpersonation, mixUp, expiredToken, scopeOverwrite];
