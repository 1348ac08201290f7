/**
 * Interop: the official MCP SDK client (@modelcontextprotocol/sdk 1.32.x, its own `auth()` and
 * Streamable HTTP transport) against the real AS and RS processes, over real HTTP on loopback.
 *
 * The SDK has a known step-up dead end when it holds a refresh token (typescript-sdk #2255): on
 * 403 insufficient_scope its `auth()` refreshes first, without a `scope` (a refresh cannot widen
 * scope, RFC 6749 §6), gets a token with the old scope back, retries, gets the same 403 and gives
 * up ("Server returned 403 after trying upscoping"). With the opt-in `--accommodate-sdk1-step-up`
 * this AS refuses a refresh while the grant's newest access token is still valid
 * (refresh-token-grant.ts, `checkNotEarly`): the SDK then drops its tokens and authorizes again
 * for the wider scope, and step-up completes. By default (RFC 6749 §6) it accepts the refresh.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { createAuthorizationServer, generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { inProcessFetch } from '@mcp-auth-demo/common/testing';
import { createResourceServer } from '@mcp-auth-demo/resource-server';
import { freePorts, startStack, urlsForPorts, type Stack } from '@mcp-auth-demo/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadlessSdkProvider } from './sdk-headless-provider.ts';

let stack: Stack;
let resource: string;
const events: TraceEvent[] = [];

beforeAll(async () => {
  const urls = urlsForPorts(await freePorts());
  resource = urls.resource;
  stack = startStack(urls, (event) => events.push(event), { accommodateSdk1StepUp: true });
  await stack.ready;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** Runs `operation`; on UnauthorizedError (the SDK asked for a browser), redeems the code and runs it again. */
async function withAuthorization<T>(provider: HeadlessSdkProvider, transport: StreamableHTTPClientTransport, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    await transport.finishAuth(provider.code!);
    return operation();
  }
}

describe('the official SDK client (1.32.x auth()) against this AS with --accommodate-sdk1-step-up, holding a refresh token', () => {
  it('completes step-up: its refresh is refused while the token is fresh, so it authorizes again for the wider scope', async () => {
    const provider = new HeadlessSdkProvider({ clientName: 'SDK interop test', refreshTokens: true });
    const client = new Client({ name: 'sdk-interop', version: '1.0.0' });
    let transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    try {
      await client.connect(transport);
    } catch (error) {
      expect(error).toBeInstanceOf(UnauthorizedError);
      await transport.finishAuth(provider.code!);
      transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
      await client.connect(transport);
    }
    expect(provider.saved?.refresh_token).toEqual(expect.any(String));
    expect(provider.saved?.scope).toBe('mcp:connect');

    const weather = await withAuthorization(provider, transport, () => client.callTool({ name: 'get_weather', arguments: { city: 'Lisbon' } }));
    expect(weather.isError).toBeFalsy();
    expect(provider.saved?.scope?.split(' ')).toEqual(expect.arrayContaining(['mcp:connect', 'weather:read']));
    const refusals = events.filter((e) => e.kind === 'request.rejected' && e.path === '/token');
    expect(refusals).toEqual([expect.objectContaining({ status: 400, error: 'invalid_grant' })]);
    await client.close();
  }, 30_000);
});

describe('--accommodate-sdk1-step-up rescues only the SDK 1.x providers that implement the optional invalidateCredentials', () => {
  it('without it, the refused refresh is the end: the SDK throws the AS\'s invalid_grant, and step-up never happens', async () => {
    const provider = new HeadlessSdkProvider({ clientName: 'SDK interop test, no invalidateCredentials', refreshTokens: true, invalidateCredentials: false });
    const client = new Client({ name: 'sdk-interop-no-invalidate', version: '1.0.0' });
    let transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    await client.connect(transport).catch(async (error: unknown) => {
      expect(error).toBeInstanceOf(UnauthorizedError);
      await transport.finishAuth(provider.code!);
      transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
      await client.connect(transport);
    });
    await expect(client.callTool({ name: 'get_weather', arguments: { city: 'Lisbon' } })).rejects.toThrow(/still valid/);
    expect(provider.saved?.scope).toBe('mcp:connect');
    await client.close();
  }, 30_000);
});

describe('the control: the same SDK client against an AS with its default, a refresh accepted at any time', () => {
  it('dead-ends exactly as typescript-sdk #2255 says: the refresh brings the old scope back and the SDK gives up', async () => {
    // In-process apps (the control needs a config the served AS does not have); the same SDK code runs.
    const issuer = 'http://localhost:9000';
    const mcp = 'http://localhost:8001/mcp';
    const as = createAuthorizationServer({ issuer, resources: [mcp], signingKey: await generateSigningKey(), dangerouslyAllowLoopbackHttp: true });
    const rs = createResourceServer({ resource: mcp, authorizationServer: issuer, dangerouslyAllowLoopbackHttp: true, fetch: inProcessFetch({ [issuer]: as }) });
    const wire = inProcessFetch({ [issuer]: as, [mcp]: rs });
    const provider = new HeadlessSdkProvider({ clientName: 'SDK interop test', refreshTokens: true, userAgentFetch: wire });
    const client = new Client({ name: 'sdk-interop-control', version: '1.0.0' });
    let transport = new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider, fetch: wire });
    await client.connect(transport).catch(async (error: unknown) => {
      expect(error).toBeInstanceOf(UnauthorizedError);
      await transport.finishAuth(provider.code!);
      transport = new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider, fetch: wire });
      await client.connect(transport);
    });
    expect(provider.saved?.refresh_token).toEqual(expect.any(String));
    await expect(client.callTool({ name: 'get_weather', arguments: { city: 'Lisbon' } })).rejects.toThrow(/403 after trying upscoping/);
    // It did refresh (rotation: a second refresh token), and the scope never widened.
    expect(provider.tokenHistory).toHaveLength(2);
    expect(provider.saved?.scope).toBe('mcp:connect');
    await client.close();
  });
});
