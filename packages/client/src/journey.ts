/**
 * The journey: what an MCP client does, in order, to call tools on a protected MCP server
 * (MCP 2025-11-25, "Authorization Flow Steps"):
 *
 *   Discovery        an MCP request without a token → 401 with a Bearer challenge → Protected
 *                    Resource Metadata → authorization server metadata → how to register
 *   Authorization    scope from the challenge, PKCE S256, state, resource → code → token
 *   Call a tool      with `Authorization: Bearer`
 *   Step-up          on 403 insufficient_scope: authorize again for the scopes requested before
 *                    ∪ the challenged ones (step-up.ts, SEP-2350)
 *   Retry            the same call with the new token
 *
 * Each operation gets at most `maxAuthorizations` authorizations, so a server that always
 * refuses cannot loop the client (MCP "Step-Up Authorization Flow"). What the client learns on
 * the way (the Protected Resource Metadata, AS metadata, client_id, the grant) lives in a
 * JourneySession (session.ts); the step-up rule in step-up.ts.
 */
import { createEmitter, ERA_DIFFERENCES, type TraceSink } from '@mcp-auth-demo/trace';
import { authorize, forResource, type TokenSet } from './authorize.ts';
import { contrastsOfAuthorization, contrastsOfCall, type ContrastOptions } from './contrasts.ts';
import { refreshAccessToken } from './refresh.ts';
import { createBoundedFetch, type FetchBounds } from './bounded-fetch.ts';
import { discoverAuthorizationServer, discoverProtectedResource } from './discovery.ts';
import { checkAuthorizationServerEndpoint, checkAuthorizationServerEndpoints, createPolicyFetch, type ResolveHost } from './endpoint-policy.ts';
import { IssuerBoundCredentials } from './issuer-bound-credentials.ts';
import { AuthorizationChallenge, McpConnection, type SpecChoice, type ToolOutcome } from './mcp-connection.ts';
import type { RegistrationOptions } from './registration.ts';
import { JourneySession } from './session.ts';
import { challengedScopes, stepUpScopes } from './step-up.ts';
import { StepFailure } from './step-failure.ts';
import { Steps, type StepTiming } from './steps.ts';
import { selectDefaultCalls, type ToolCall } from './tool-selection.ts';
import { createTracedFetch, type Fetch } from './traced-fetch.ts';
import type { UserAgent } from './user-agent.ts';

export interface JourneyConfig {
  /** The MCP server's URL (Streamable HTTP endpoint). */
  serverUrl: string;
  /** The MCP revision to speak: 2025-11-25 (default), 2026-07-28, or auto (probe, then fall back). */
  spec?: SpecChoice;
  registration: RegistrationOptions;
  /** Tools to call in order; `'discover'` lists the tools and calls each safe to call blind (tool-selection.ts). */
  calls: ToolCall[] | 'discover';
  /** At most this many authorizations per operation (default 3). */
  maxAuthorizations?: number;
  /** Carries authorization requests to the AS (default: headless, see user-agent.ts). */
  userAgent?: UserAgent;
  fetch?: Fetch;
  /** Time and size bounds of every fetch (default 10 s, 1 MiB; bounded-fetch.ts). */
  fetchBounds?: FetchBounds;
  /** How host names are resolved for the SSRF check (endpoint-policy.ts; default DNS). */
  resolveHost?: ResolveHost;
  /** Beside their steps, the attacks that the rules stop, made for real (contrasts.ts; default none). */
  contrasts?: ContrastOptions;
  onEvent?: TraceSink;
}

export interface JourneyResult {
  ok: boolean;
  /** Every token obtained, in order (the first, then any step-up). */
  tokens: TokenSet[];
  outcomes: { name: string; outcome: ToolOutcome }[];
  /** Calls the client chose itself (no --call) that failed; each was one failed step. */
  failedCalls: { name: string; reason: string }[];
  steps: StepTiming[];
  failure?: { step?: number; title?: string; expected: string; received: string };
}

export async function runJourney(config: JourneyConfig): Promise<JourneyResult> {
  const emit = createEmitter('client', config.onEvent);
  // Outermost the policy (a refused URL is never sent, so never traced), then the trace, then
  // the bounds around the real fetch.
  const fetch = createPolicyFetch(
    createTracedFetch(createBoundedFetch(config.fetch ?? globalThis.fetch, config.fetchBounds), emit),
    { serverUrl: config.serverUrl, ...(config.resolveHost && { resolveHost: config.resolveHost }) },
  );
  const ctx = { fetch, emit, ...(config.userAgent && { userAgent: config.userAgent }) };
  const steps = new Steps(emit);
  const spec = config.spec ?? '2025-11-25';
  const connection = new McpConnection(config.serverUrl, fetch, emit, spec);
  const maxAuthorizations = config.maxAuthorizations ?? 3;
  const result: JourneyResult = { ok: false, tokens: [], outcomes: [], failedCalls: [], steps: [] };

  const session = new JourneySession();
  const credentials = new IssuerBoundCredentials(config.registration, emit);

  /**
   * Discovery, from the challenge of a refused request to the AS's metadata and a client_id.
   * Run again on every 401: the resource may have moved to another authorization server, and
   * then the client re-registers there (SEP-2352, issuer-bound-credentials.ts).
   */
  async function discover(challenge: AuthorizationChallenge): Promise<void> {
    const prm = await discoverProtectedResource(config.serverUrl, challenge.params.resource_metadata, ctx);
    session.discovered(prm);
    // MCP: the client uses the first authorization server that it supports; we take the first.
    const issuer = prm.authorization_servers[0]!;
    if (session.metadata?.issuer !== issuer) {
      checkAuthorizationServerEndpoint('issuer', issuer);
      session.metadata = await discoverAuthorizationServer(issuer, ctx);
      checkAuthorizationServerEndpoints(session.metadata);
    }
    session.client = await credentials.for(session.metadata, { ...ctx, serverUrl: config.serverUrl });
  }

  async function authorizeFor(scope: string | undefined): Promise<void> {
    const { metadata, client, protectedResource } = session;
    if (!metadata || !client || !protectedResource) throw new StepFailure('discovery before authorization', 'no metadata');
    const request = forResource(protectedResource, { metadata, client, scope, redirectUri: config.registration.redirectUri });
    const tokens = await authorize(request, ctx);
    result.tokens.push(tokens);
    if (config.contrasts && result.tokens.length === 1) await contrastsOfAuthorization(request, { ...ctx, options: config.contrasts });
    session.authorized(tokens, scope, metadata.issuer);
    connection.useToken(tokens.access_token);
  }

  /**
   * RFC 6749 §6 / OAuth 2.1 §4.3: a new access token for the same grant, without the user.
   * Returns false (and forgets the refresh token) when the AS refuses; the caller then authorizes.
   */
  async function refreshFor(reason: string): Promise<boolean> {
    const { metadata, client, protectedResource, refreshToken } = session;
    if (!metadata || !client || !protectedResource || !refreshToken) return false;
    // MCP 2026-07-28 (SEP-2352): credentials are bound to their issuer; the resource moved to another AS.
    if (session.refreshIssuer !== metadata.issuer) {
      session.forgetRefreshToken();
      return false;
    }
    steps.start('Refresh the access token');
    emit('refresh.decided', { action: 'refresh', reason, spec: 'RFC 6749 §6, OAuth 2.1 §4.3' });
    try {
      const tokens = await refreshAccessToken(forResource(protectedResource, { metadata, client, scope: session.held.join(' '), refresh_token: refreshToken }), ctx);
      result.tokens.push(tokens);
      // OAuth 2.1 §4.3.1: the AS rotated the refresh token; the old one must never be sent again.
      session.refreshed(tokens);
      connection.useToken(tokens.access_token);
      return true;
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      session.forgetRefreshToken();
      emit('refresh.decided', {
        action: 'reauthorize',
        reason: `the authorization server refused the refresh (${error.received})`,
        spec: 'RFC 6749 §5.2',
      });
      return false;
    }
  }

  /** MCP "Scope Selection Strategy": the challenge's scope, else every scopes_supported, else none. */
  function initialScope(challenge: AuthorizationChallenge): string | undefined {
    if (challenge.params.scope !== undefined) {
      emit('scope.selected', { scope: challenge.params.scope, source: 'challenge', spec: 'MCP 2025-11-25 authorization, Scope Selection Strategy' });
      return challenge.params.scope;
    }
    const { scopesSupported } = session;
    if (scopesSupported && scopesSupported.length > 0) {
      const scope = scopesSupported.join(' ');
      emit('scope.selected', { scope, source: 'scopes_supported', spec: 'MCP 2025-11-25 authorization, Scope Selection Strategy' });
      return scope;
    }
    emit('scope.selected', { source: 'omitted', spec: 'MCP 2025-11-25 authorization, Scope Selection Strategy' });
    return undefined;
  }

  /**
   * Runs an operation; on a challenge, (re-)authorizes and retries, at most `maxAuthorizations`
   * times. A 403 insufficient_scope asks for the union of the scopes requested last time and
   * the challenged ones (step-up.ts: MCP 2026-07-28 authorization, SEP-2350).
   */
  async function withAuthorization<T>(title: string, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof AuthorizationChallenge)) throw error;
        if (attempt > maxAuthorizations) {
          throw new StepFailure(
            `success within ${maxAuthorizations} authorizations of this operation (MCP step-up)`,
            `HTTP ${error.status}${error.params.error ? ` ${error.params.error}` : ''} again; giving up`,
          );
        }
        if (!session.metadata || error.status === 401) await discover(error);
        if (error.status === 403 && error.params.error === 'insufficient_scope') {
          const { held, requested } = session;
          const challenged = challengedScopes(error.params.scope);
          const requesting = stepUpScopes({ held, requested, challenged });
          steps.start(`Step-up authorization for "${requesting.join(' ')}"`);
          emit('stepup.needed', { held, requested, challenged, requesting, attempt, max: maxAuthorizations, spec: 'MCP 2025-11-25 authorization, Step-Up Authorization Flow; MCP 2026-07-28 SEP-2350 (union with the scopes requested before)' });
          if (session.refreshToken) {
            // The classic confusion: a refresh token cannot buy more scope than was granted.
            emit('refresh.decided', {
              action: 'reauthorize',
              reason: `a refresh returns only the scope already granted ("${held.join(' ')}"), never more`,
              spec: 'RFC 6749 §6: the refresh scope "MUST NOT include any scope not originally granted"',
            });
          }
          await authorizeFor(requesting.join(' '));
        } else if (error.status === 401) {
          // A refused or expired access token: the refresh token gets a new one without the user.
          const refused = error.params.error === 'invalid_token';
          const why = `the server answered 401 invalid_token${error.params.error_description ? ` ("${error.params.error_description}")` : ''}: the access token expired or was refused, and the grant behind it may still be good`;
          if (!(refused && (await refreshFor(why)))) {
            steps.start(attempt === 1 && result.tokens.length === 0 ? 'Authorization' : 'Re-authorization');
            await authorizeFor(initialScope(error));
          }
        } else {
          throw new StepFailure('a 401 challenge or a 403 insufficient_scope', `HTTP ${error.status} ${error.params.error ?? ''}`);
        }
        steps.start(`Retry ${title}`);
      }
    }
  }

  emit('journey.started', { server: config.serverUrl, user_agent: config.userAgent ? 'browser' : 'headless', protocol: spec });
  try {
    steps.start('Discovery: an MCP request without a token, the challenge, the metadata');
    try {
      await connection.connect();
      // Authorization is OPTIONAL in MCP; a server may also ask only for some methods (a later 401).
      emit('authorization.not_required', { server: config.serverUrl, spec: 'MCP 2025-11-25 authorization, Protocol Requirements' });
    } catch (error) {
      if (!(error instanceof AuthorizationChallenge)) throw error;
      await discover(error);
      steps.start(`Authorization (client_id ${session.client!.client_id})`);
      await authorizeFor(initialScope(error));
    }

    let calls = config.calls;
    // Tools the client chose itself may fail on their own: one failed step, not a failed journey.
    // A tool the user named (--call) is the point of the run: its failure fails the journey.
    const chosenByClient = calls === 'discover';
    if (calls === 'discover') {
      steps.start('List tools');
      const tools = await withAuthorization('list tools', () => connection.listTools());
      const selection = selectDefaultCalls(tools);
      for (const skipped of selection.skipped) emit('tool.skipped', { ...skipped, spec: 'MCP 2025-11-25 tools; tasks' });
      calls = selection.calls;
    }
    for (const call of calls) {
      steps.start(`Call ${call.name}`);
      try {
        const outcome = await withAuthorization(call.name, () => connection.callTool(call.name, call.arguments));
        result.outcomes.push({ name: call.name, outcome });
        const { metadata, client, protectedResource, held } = session;
        if (config.contrasts && result.outcomes.length === 1 && metadata && client && protectedResource) {
          await contrastsOfCall(forResource(protectedResource, { metadata, client, scope: held.join(' '), redirectUri: config.registration.redirectUri }), config.serverUrl, { ...ctx, options: config.contrasts, revision: connection.revision });
        }
        // isError is the tool's own answer (MCP tools, "Error Handling"): reported either way; it
        // fails the journey only for a tool the user named, whose result was the point of the run.
        if (outcome.isError && !chosenByClient) {
          throw new StepFailure(`a result from ${call.name}`, `the tool answered isError: ${outcome.text.split('\n')[0]}`);
        }
      } catch (error) {
        if (!chosenByClient || error instanceof StepFailure) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        emit('tool.failed', { name: call.name, reason });
        result.failedCalls.push({ name: call.name, reason });
      }
    }
    const revision = connection.revision;
    if (connection.sessionId) steps.start('End the session');
    await connection.close();
    steps.finish();
    result.ok = true;
    result.steps = steps.all;
    emit('journey.succeeded', { ms: steps.elapsedMs, steps: result.steps });
    if (revision === '2026-07-28') {
      emit('lesson.eras_compared', { revision: '2026-07-28', compared_with: '2025-11-25', differences: ERA_DIFFERENCES });
    }
  } catch (error) {
    const running = steps.running;
    const failure = error instanceof StepFailure
      ? { expected: error.expected, received: error.received }
      : { expected: 'the step to complete', received: error instanceof Error ? error.message : String(error) };
    result.failure = { ...running, ...failure };
    steps.finish();
    result.steps = steps.all;
    emit('journey.failed', { ...running, ...failure });
  } finally {
    await connection.close();
  }
  return result;
}
