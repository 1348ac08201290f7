/**
 * What the journey does when tools fail, against a real MCP server (the official SDK's low-level
 * `Server` over its web-standard Streamable HTTP transport), wired in-process. No authorization:
 * the subject is the tool calls.
 *
 * - A tool the client chose itself (no --call) that fails is one failed step: the journey goes on.
 * - A tool's `isError` answer is reported; the journey goes on, unless the user named that tool.
 * - A tool the user named with --call that fails fails the journey.
 */
import { runJourney, type JourneyConfig } from '@mcp-auth-demo/client';
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { inProcessFetch } from '@mcp-auth-demo/common/testing';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';

const SERVER = 'http://localhost:8001/mcp';
const noArguments = { type: 'object' as const, properties: {} };

/** A stateless server: `broken` answers a JSON-RPC error, `grumpy` answers isError, `fine` a result. */
function mcpServer(): Hono {
  const app = new Hono();
  app.all('/mcp', async (c) => {
    const server = new Server({ name: 'tool-failures', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: ['broken', 'grumpy', 'fine'].map((name) => ({ name, inputSchema: noArguments })),
    }));
    server.setRequestHandler(CallToolRequestSchema, ({ params }) => {
      if (params.name === 'broken') throw new McpError(ErrorCode.InternalError, 'the database is gone');
      if (params.name === 'grumpy') return { content: [{ type: 'text', text: 'not today' }], isError: true };
      return { content: [{ type: 'text', text: 'all good' }] };
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw);
  });
  return app;
}

function run(calls: JourneyConfig['calls']) {
  const events: TraceEvent[] = [];
  const journey = runJourney({
    serverUrl: SERVER,
    registration: { clientMetadataUrl: 'http://localhost:3000/client-metadata.json', redirectUri: 'http://localhost:3000/callback', clientName: 'test' },
    calls,
    fetch: inProcessFetch({ [SERVER]: mcpServer() }),
    onEvent: (e) => events.push(e),
  });
  return journey.then((result) => ({ result, events }));
}

describe('tool failures', () => {
  it('a failing tool the client chose is one failed step with its reason; isError is reported; the journey goes on', async () => {
    const { result, events } = await run('discover');
    expect(result.ok).toBe(true);
    expect(result.failedCalls).toEqual([{ name: 'broken', reason: expect.stringContaining('the database is gone') }]);
    expect(events.find((e) => e.kind === 'tool.failed')).toMatchObject({ name: 'broken' });
    expect(result.outcomes.map((o) => [o.name, o.outcome.isError])).toEqual([['grumpy', true], ['fine', false]]);
  });

  it.each([
    ['broken', /the database is gone/],
    ['grumpy', /isError: not today/],
  ])('a tool named with --call (%s) that fails fails the journey at its step', async (name, received) => {
    const { result } = await run([{ name, arguments: {} }]);
    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ title: `Call ${name}`, received: expect.stringMatching(received) });
  });
});
