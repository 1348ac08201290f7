/**
 * expired-token: nobody attacks; time passes. The AS gives the lab's short-lived MCP server
 * 1-second access tokens (a per-resource lifetime, as real authorization servers set per API),
 * and that server allows no clock skew (every process here shares one clock). The real client
 * (runJourney) calls whoami, the token runs out, and the next call meets the RS's `exp` check.
 * The client then does what a client holding a refresh token should: refresh, without the user,
 * and retry.
 *
 * The only scripted party is the clock: a fetch around the client's that holds the second
 * tools/call until the token has expired, and notes what the MCP server answered to it.
 */
import type { TraceSink } from '@mcp-auth-demo/trace';
import { runJourney, type Fetch } from '@mcp-auth-demo/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { extraServer, notHeld, SHORT_LIVED_TOKEN_SECONDS, type Scenario, type ScenarioContext } from './kit.ts';

export const expiredToken: Scenario = {
  name: 'expired-token',
  title: 'An access token expires mid-session',
  description: `the token (${SHORT_LIVED_TOKEN_SECONDS} s) expires between two calls: the RS answers 401 invalid_token, the client refreshes and retries`,
  needs: ['short-lived-server'],
  lesson:
    'Access tokens are short-lived on purpose: a leaked one is worth little for long (MCP "Token Theft": the AS ' +
    'SHOULD issue short-lived access tokens). The MCP server checks exp itself on every request, with no round ' +
    'trip (RFC 9068 §4), and answers 401 invalid_token (RFC 6750 §3.1). That need not end the session: the ' +
    'client listed the refresh_token grant in its metadata document, so it holds a refresh token, and it asks ' +
    'the AS for a new access token without the user (RFC 6749 §6), gets its refresh token rotated (OAuth 2.1 ' +
    '§4.3.1) and retries. Without a refresh token it would have to authorize again. Tokens live 1 s here so the ' +
    'run is short (JWT times are whole seconds); this AS\'s default is 600 s.',
  async run(ctx) {
    const server = extraServer(ctx, 'short-lived-server');
    const clock = passingTime(ctx, server);
    const whoami = { name: 'whoami', arguments: {} };
    const result = await runJourney({
      serverUrl: server,
      registration: { clientMetadataUrl: ctx.clientId, redirectUri: ctx.redirectUri, clientName: 'MCP Auth Demo Client' },
      calls: [whoami, whoami],
      fetch: clock.fetch,
      onEvent: clock.onEvent,
    });
    const answer = clock.answerAfterExpiry;
    if (!answer) return notHeld(`the journey ended before the token expired: ${result.failure?.received ?? 'no second call'}`);
    if (answer.status === 200) return notHeld('the MCP server accepted an expired access token');
    if (!result.ok) return notHeld(`the MCP server refused the expired token (${answer.status}), but the client did not recover: ${result.failure?.received ?? '?'}`);
    const recovered = clock.refreshed ? 'the client refreshed it without the user (RFC 6749 §6)' : 'the client authorized again';
    return {
      held: true,
      refusal: { by: 'resource-server', status: answer.status, error: answer.error ?? '', rule: `exp is checked on every request (RFC 9068 §4): 401 invalid_token (RFC 6750 §3.1); ${recovered} and retried` },
    };
  },
};

interface Clock {
  fetch: Fetch;
  /** The journey's trace, passed on; the second call's heading is where the clock says time passes. */
  onEvent: TraceSink;
  /** The MCP server's answer to the call made with the expired token. */
  answerAfterExpiry?: { status: number; error?: string };
  /** The client used the refresh_token grant. */
  refreshed: boolean;
}

function passingTime(ctx: ScenarioContext, server: string): Clock {
  const tokenEndpoint = new URL('/token', ctx.urls.issuer).href;
  let toolCalls = 0;
  let callSteps = 0;
  let tokenArrivedMs = 0;
  let expiresIn = SHORT_LIVED_TOKEN_SECONDS;
  const clock: Clock = {
    refreshed: false,
    onEvent: (event) => {
      ctx.sink(event);
      if (event.kind === 'step.started' && event.title.startsWith('Call ') && ++callSteps === 2) {
        ctx.emit('scenario.attempt', { actor: 'time', what: `the access token's ${expiresIn} s run out before this call; the client sends it anyway, not knowing` });
      }
    },
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const body = typeof init?.body === 'string' ? init.body : '';
      const grant = url === tokenEndpoint ? new URLSearchParams(body).get('grant_type') : null;
      // JWT times are whole seconds (RFC 7519 §2 NumericDate): a 1-s token issued late in a second
      // lives only what is left of it. Ask for tokens early in a second, so the next call finds
      // the token alive.
      if (grant && 1000 - (Date.now() % 1000) < 500) await sleep(1000 - (Date.now() % 1000));
      if (grant === 'refresh_token') clock.refreshed = true;
      const secondCall = url === server && /"method":\s*"tools\/call"/.test(body) && ++toolCalls === 2;
      if (secondCall) {
        // exp = iat + expires_in, and iat is at most the second the answer arrived in.
        await sleep(Math.max(0, (Math.floor(tokenArrivedMs / 1000) + expiresIn) * 1000 - Date.now()));
      }
      const response = await ctx.baseFetch(input, init);
      if (grant && response.ok) {
        const answer = (await response.clone().json().catch(() => ({}))) as { expires_in?: unknown };
        if (typeof answer.expires_in === 'number') expiresIn = answer.expires_in;
        tokenArrivedMs = Date.now();
      }
      if (secondCall) {
        const error = /error="([^"]+)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1];
        clock.answerAfterExpiry = { status: response.status, ...(error && { error }) };
      }
      return response;
    },
  };
  return clock;
}
