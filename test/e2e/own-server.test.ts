/**
 * `pnpm serve --resource URL`, end to end: someone's own MCP server (a FastMCP server, a
 * framework this project did not write, test/e2e/interop/fastmcp-server.ts) whose Protected
 * Resource Metadata names the lab's AS. The banner says what that metadata must say; `pnpm
 * client` completes the journey against it; the verdicts grade that journey against the
 * resource it named, never against the lab's own MCP server: no false fail.
 */
import { freePort } from '@mcp-auth-demo/stack';
import type { Card } from '@mcp-auth-demo/verdicts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClient, startServer, type RunningServer } from './interop/third-party.ts';
import { startServe, stop, verdicts } from './serve-harness.ts';

describe('pnpm serve --resource URL with a FastMCP server in front of the lab\'s AS', () => {
  let s: Awaited<ReturnType<typeof startServe>>;
  let own: RunningServer;
  let ownUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    ownUrl = `http://localhost:${port}/mcp`;
    s = await startServe(['--resource', ownUrl]);
    own = await startServer(['--import', 'tsx', 'test/e2e/interop/fastmcp-server.ts'], {
      ports: [port],
      env: { INTEROP_PORT: String(port), INTEROP_ISSUER: s.urls.issuer },
    });
  });
  afterAll(async () => {
    await own?.stop();
    if (s) await stop(s.serve);
  });

  it('the banner says what that server\'s metadata must say, and the aud it must check', () => {
    expect(s.output()).toContain(JSON.stringify({ resource: ownUrl, authorization_servers: [s.urls.issuer] }));
    expect(s.output()).toContain(`every token's aud equals ${ownUrl}`);
  });

  it('the journey completes with a token for that server, and its card has no fail: graded against the resource it named', async () => {
    const clientId = `${s.urls.clientBase}/client-metadata.json`;
    const run = await runClient(ownUrl, ['--client-metadata-url', clientId, '--redirect-uri', `${s.urls.clientBase}/callback`, '--call', 'whoami']);
    expect(run.exitCode, `${run.stderr}\n${own.output()}`).toBe(0);
    expect(run.of('token.received')[0]?.claims).toMatchObject({ aud: ownUrl });
    const card: Card = await s.card(clientId, (c) => c.checks.some((k) => k.id === 'resource-on-token' && k.verdict !== 'not-seen'));
    expect(card.checks.filter((c) => c.verdict === 'fail')).toEqual([]);
    const v = verdicts(card);
    expect(v).toMatchObject({ 'resource-on-authorize': 'pass', 'resource-on-token': 'pass', 'pkce-s256': 'pass', state: 'pass', 'as-discovery': 'pass', registration: 'pass' });
    // What only that server sees is not-seen, with the reason (not a fail against the lab's RS).
    expect(v['prm-discovery']).toBe('not-seen');
    expect(card.checks.find((c) => c.id === 'prm-discovery')?.evidence).toContain(`${ownUrl}, your own MCP server`);
  });
});
