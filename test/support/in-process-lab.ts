/**
 * The three real apps wired together in-process (no ports): the client's metadata host, the AS
 * (fetching CIMD documents from that host) and the RS (fetching the AS's metadata and keys),
 * all tracing into one event list. For tests that need the whole lab but no processes.
 */
import { createAuthorizationServer, type AuthorizationServerConfig, type SigningKey } from '@mcp-auth-demo/authorization-server';
import { clientUrls, createClientHost, runJourney, type Fetch, type JourneyConfig } from '@mcp-auth-demo/client';
import type { TraceEvent, TraceSink } from '@mcp-auth-demo/trace';
import { inProcessFetch, type RequestHandler } from '@mcp-auth-demo/common/testing';
import { createResourceServer } from '@mcp-auth-demo/resource-server';

export const LAB = {
  issuer: 'http://localhost:9000',
  resource: 'http://localhost:8001/mcp',
  clientBase: 'http://localhost:3000',
} as const;

export interface LabOptions {
  /** More configuration of the AS (its scopes, token lifetime, …). */
  as?: Partial<Pick<AuthorizationServerConfig, 'scopesSupported' | 'accessTokenTtlSeconds'>>;
  /** One clock for the AS and the RS (default: the real one). */
  now?: () => number;
  /** What answers at the MCP server's URL instead of the real RS. */
  mcpServer?: RequestHandler;
  /** A second resource the AS issues for, which no server serves (as `pnpm demo`'s audience contrast needs). */
  otherResource?: string;
}

/**
 * The demo client's journey through `fetch`: its CIMD registration, then whoami and get_weather
 * (stepping up for the second); `overrides` change any of it.
 */
export function demoJourney(fetch: Fetch, onEvent: TraceSink, overrides: Partial<JourneyConfig> = {}) {
  const { clientId, redirectUri } = clientUrls(LAB.clientBase);
  return runJourney({
    serverUrl: LAB.resource,
    registration: { clientMetadataUrl: clientId, redirectUri, clientName: 'test' },
    calls: [{ name: 'whoami', arguments: {} }, { name: 'get_weather', arguments: { city: 'Lisbon' } }],
    fetch,
    onEvent,
    ...overrides,
  });
}

export function createInProcessLab(signingKey: SigningKey, options: LabOptions = {}) {
  const events: TraceEvent[] = [];
  const onEvent = (e: TraceEvent) => events.push(e);
  const clock = options.now ? { now: options.now } : {};
  const clientHost = createClientHost({ baseUrl: LAB.clientBase, onEvent });
  const as = createAuthorizationServer({
    issuer: LAB.issuer, resources: [LAB.resource, ...(options.otherResource ? [options.otherResource] : [])], signingKey, dangerouslyAllowLoopbackHttp: true,
    fetch: inProcessFetch({ [LAB.clientBase]: clientHost }), onEvent, ...options.as, ...clock,
  });
  const rs = createResourceServer({
    resource: LAB.resource, authorizationServer: LAB.issuer, dangerouslyAllowLoopbackHttp: true,
    fetch: inProcessFetch({ [LAB.issuer]: as }), onEvent, ...clock,
  });
  /** The client's fetch: every app by its origin. */
  const fetch = inProcessFetch({ [LAB.issuer]: as, [LAB.resource]: options.mcpServer ?? rs, [LAB.clientBase]: clientHost });
  /** The demo client's journey through the lab (`demoJourney`). */
  const run = (overrides: Partial<JourneyConfig> = {}) => demoJourney(fetch, onEvent, overrides);
  return { events, onEvent, as, rs, clientHost, fetch, run };
}
