/**
 * Issue 23 §2, with the real SDK clients: the official SDK's own OAuth (`auth()` of v1
 * `@modelcontextprotocol/sdk` 1.32.x and of v2 `@modelcontextprotocol/client` 2.4.0) against
 * `pnpm serve --report`, each provider with and without the optional `invalidateCredentials`,
 * and the card the lab gives that client. Every run: connect, whoami, get_weather (403
 * insufficient_scope, then step-up), over real HTTP on loopback; the AS accepts a valid refresh
 * at any time (its default, RFC 6749 §6).
 *
 * - v2 authorizes again for held ∪ challenged on the 403, refresh token or not: step-up
 *   completes at both revisions and every check passes.
 * - v1 holding a refresh token answers the 403 with a refresh (no scope; typescript-sdk #2255):
 *   it gets its old scope back, gives up, and the card fails `step-up-no-refresh`, naming the bug.
 * - v1 without a refresh token authorizes again: every check passes.
 */
import { auth as v2Auth, Client as V2Client, StreamableHTTPClientTransport as V2Transport, UnauthorizedError as V2Unauthorized, type OAuthClientProvider as V2Provider } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError as V1Unauthorized } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Card } from '@mcp-auth-demo/verdicts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadlessSdkProvider } from './sdk-headless-provider.ts';
import { complete, settled, startServe, stop } from './serve-harness.ts';

let s: Awaited<ReturnType<typeof startServe>>;
beforeAll(async () => {
  s = await startServe([]);
});
afterAll(() => stop(s.serve));

interface Run {
  sdk: 'v1' | 'v2';
  revision?: '2025-11-25' | '2026-07-28';
  refreshTokens: boolean;
  invalidateCredentials: boolean;
}

interface Connection {
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

/** One SDK, one provider: connect, whoami, get_weather; the error the SDK gave up with, if it did. */
async function runSdk(run: Run): Promise<{ provider: HeadlessSdkProvider; clientId: string; era?: string; error?: string }> {
  const name = `SDK ${run.sdk}${run.revision ? ` ${run.revision}` : ''}, refresh ${run.refreshTokens}, invalidateCredentials ${run.invalidateCredentials}`;
  const provider = new HeadlessSdkProvider({ clientName: name, refreshTokens: run.refreshTokens, invalidateCredentials: run.invalidateCredentials });
  const url = new URL(s.urls.resource);
  // Each SDK's transport and client, behind the same three operations.
  const open = () => {
    if (run.sdk === 'v1') {
      const transport = new V1Transport(url, { authProvider: provider });
      const client = new V1Client({ name, version: '1.0.0' });
      return { transport, client, connect: () => client.connect(transport), finish: () => transport.finishAuth(provider.code!) };
    }
    // The provider is written against v1's types; v2's interface is the same in every member it implements.
    const transport = new V2Transport(url, { authProvider: provider as unknown as V2Provider });
    // 2026-07-28 is pinned; 2025-11-25 is v2's `legacy` mode (the initialize handshake).
    const client = new V2Client({ name, version: '1.0.0' }, { versionNegotiation: { mode: run.revision === '2026-07-28' ? { pin: '2026-07-28' } : 'legacy' } });
    return { transport, client, connect: () => client.connect(transport), finish: () => transport.finishAuth(provider.callback!) };
  };
  const unauthorized = (error: unknown) => error instanceof V1Unauthorized || error instanceof V2Unauthorized;

  let connection = open();
  /** The SDK sent the "browser" to authorize (UnauthorizedError): redeem the code, then try again. */
  const authorized = async <T>(step: () => Promise<T>, reconnect: boolean): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      if (!unauthorized(error)) throw error;
      await connection.finish();
      if (reconnect) connection = open();
      return step();
    }
  };
  const client = (): Connection => connection.client as unknown as Connection;
  try {
    await authorized(() => connection.connect(), true);
    await client().callTool({ name: 'whoami', arguments: {} });
    await authorized(() => client().callTool({ name: 'get_weather', arguments: { city: 'Oslo' } }), false);
    const era = connection.client instanceof V2Client ? connection.client.getProtocolEra() : undefined;
    return { provider, clientId: String(provider.clientInformation()?.client_id), ...(era && { era }) };
  } catch (error) {
    return { provider, clientId: String(provider.clientInformation()?.client_id), error: error instanceof Error ? error.message : String(error) };
  } finally {
    await client().close().catch(() => {});
  }
}

const notPassed = (card: Card) => card.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.verdict} (${c.evidence})`);
const scopesOf = (provider: HeadlessSdkProvider) => provider.tokenHistory.map((t) => t.scope);

describe.each([true, false])('the official SDK clients against pnpm serve, invalidateCredentials %s', (invalidateCredentials) => {
  it.each(['2025-11-25', '2026-07-28'] as const)('SDK v2 at %s, holding a refresh token: step-up completes, every check passes', async (revision) => {
    const { provider, clientId, era, error } = await runSdk({ sdk: 'v2', revision, refreshTokens: true, invalidateCredentials });
    expect(error).toBeUndefined();
    expect(era).toBe(revision === '2026-07-28' ? 'modern' : 'legacy');
    expect(provider.tokenHistory[0]?.refresh_token).toEqual(expect.any(String));
    // It authorized again for held ∪ challenged; it never answered the 403 with a refresh.
    expect(scopesOf(provider)).toEqual(['mcp:connect', 'mcp:connect weather:read']);
    expect(notPassed(await s.card(clientId, complete))).toEqual([]);
  });

  it('SDK v1 holding a refresh token: the #2255 dead end, and the card fails step-up-no-refresh naming it', async () => {
    const { provider, clientId, error } = await runSdk({ sdk: 'v1', refreshTokens: true, invalidateCredentials });
    expect(error).toMatch(/403 after trying upscoping/);
    // The refresh was accepted (a valid refresh, RFC 6749 §6) and could not widen the scope.
    expect(scopesOf(provider)).toEqual(['mcp:connect', 'mcp:connect']);
    const card = await s.card(clientId, settled('step-up-no-refresh'));
    const check = card.checks.find((c) => c.id === 'step-up-no-refresh')!;
    expect(check.verdict).toBe('fail');
    expect(check.evidence).toContain('typescript-sdk #2255');
    expect(card.checks.filter((c) => c.verdict === 'fail').map((c) => c.id)).toEqual(['step-up-no-refresh']);
  });

  it('SDK v1 without a refresh token: it authorizes again on the 403, every check passes', async () => {
    const { provider, clientId, error } = await runSdk({ sdk: 'v1', refreshTokens: false, invalidateCredentials });
    expect(error).toBeUndefined();
    expect(provider.tokenHistory.every((t) => t.refresh_token === undefined)).toBe(true);
    expect(scopesOf(provider)).toEqual(['mcp:connect', 'mcp:connect weather:read']);
    expect(notPassed(await s.card(clientId, complete))).toEqual([]);
  });
});

describe('a valid refresh is accepted at any time (RFC 6749 §6 has no "too early")', () => {
  it.each([true, false])('a v2 host that refreshes ahead of expiry (auth() while its token is fresh) gets new tokens, invalidateCredentials %s', async (invalidateCredentials) => {
    const { provider, error } = await runSdk({ sdk: 'v2', refreshTokens: true, invalidateCredentials });
    expect(error).toBeUndefined();
    const before = provider.saved!;
    expect(before.expires_in).toBeGreaterThan(60); // fresh: not in its last 60 s
    // The host's own call, as a client refreshing at 80% of the lifetime would make it.
    expect(await v2Auth(provider as unknown as V2Provider, { serverUrl: s.urls.resource })).toBe('AUTHORIZED');
    expect(provider.tokenHistory).toHaveLength(3);
    expect(provider.saved!.access_token).not.toBe(before.access_token);
    expect(provider.saved!.refresh_token).not.toBe(before.refresh_token); // rotated (OAuth 2.1 §4.3.1)
    expect(provider.saved!.scope).toBe(before.scope);
  });
});

