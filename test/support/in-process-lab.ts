/**
 * The three real apps wired together in-process (no ports): the client's metadata host, the AS
 * (fetching CIMD documents from that host) and the RS (fetching the AS's metadata and keys),
 * all tracing into one event list. For tests that need the whole lab but no processes.
 */
import { createAuthorizationServer, type SigningKey } from '@mcp-auth-demo/authorization-server';
import { createClientHost } from '@mcp-auth-demo/client';
import type { TraceEvent } from '@mcp-auth-demo/common';
import { inProcessFetch } from '@mcp-auth-demo/common/testing';
import { createResourceServer } from '@mcp-auth-demo/resource-server';

export const LAB = {
  issuer: 'http://localhost:9000',
  resource: 'http://localhost:8001/mcp',
  clientBase: 'http://localhost:3000',
} as const;

export function createInProcessLab(signingKey: SigningKey) {
  const events: TraceEvent[] = [];
  const onEvent = (e: TraceEvent) => events.push(e);
  const clientHost = createClientHost({ baseUrl: LAB.clientBase, onEvent });
  const as = createAuthorizationServer({
    issuer: LAB.issuer, resources: [LAB.resource], signingKey, dangerouslyAllowLoopbackHttp: true,
    fetch: inProcessFetch({ [LAB.clientBase]: clientHost }), onEvent,
  });
  const rs = createResourceServer({
    resource: LAB.resource, authorizationServer: LAB.issuer, dangerouslyAllowLoopbackHttp: true,
    fetch: inProcessFetch({ [LAB.issuer]: as }), onEvent,
  });
  /** The client's fetch: every app by its origin. */
  const fetch = inProcessFetch({ [LAB.issuer]: as, [LAB.resource]: rs, [LAB.clientBase]: clientHost });
  return { events, onEvent, as, rs, clientHost, fetch };
}
