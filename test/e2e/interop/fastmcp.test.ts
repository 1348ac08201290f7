/**
 * Interop: `pnpm client` against a server built with FastMCP (`fastmcp`, a widely used MCP
 * server framework, pinned) in its OAuth resource-server mode: FastMCP serves the Protected
 * Resource Metadata and the 401 challenge; the tokens come from this project's authorization
 * server (fastmcp-server.ts verifies them), the client registered by DCR and, in a second run, by
 * its Client ID Metadata Document. The tests assert the client's decisions in its trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '@mcp-auth-demo/common';
import { freePort } from '@mcp-auth-demo/stack';
import { runClient, startServer, type RunningServer } from './third-party.ts';

describe('FastMCP httpStream with oauth.protectedResource, tokens from our AS (DCR, CIMD)', () => {
  let authorizationServer: RunningServer;
  let server: RunningServer;
  let clientHost: RunningServer;
  let mcp: number;
  let as: number;
  let host: number;
  beforeAll(async () => {
    [mcp, as, host] = [await freePort(), await freePort(), await freePort()];
    const issuer = `http://localhost:${as}`;
    [authorizationServer, server, clientHost] = await Promise.all([
      startServer(['dist/packages/authorization-server/src/serve.js'], {
        ports: [as],
        preload: false,
        env: { [ENV.issuer]: issuer, [ENV.resource]: `http://localhost:${mcp}/mcp` },
      }),
      startServer(['--import', 'tsx', 'test/e2e/interop/fastmcp-server.ts'], {
        ports: [mcp],
        env: { INTEROP_PORT: String(mcp), INTEROP_ISSUER: issuer },
      }),
      // This project's client metadata host, for the CIMD run (its document's URL is the client_id).
      startServer(['dist/packages/client/src/serve.js'], { ports: [host], preload: false, env: { [ENV.clientBase]: `http://localhost:${host}` } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), authorizationServer?.stop(), clientHost?.stop()]);
  });

  it('discovers through its challenge and PRM, registers, authorizes, calls whoami, reports refuse\'s isError and goes on', async () => {
    const run = await runClient(`http://localhost:${mcp}/mcp`, ['--registration', 'dcr']);
    expect(run.exitCode, `${run.stderr}\n${server.output()}`).toBe(0);
    expect(run.of('challenge.parsed')[0]).toMatchObject({ status: 401, resource_metadata: `http://localhost:${mcp}/.well-known/oauth-protected-resource/mcp` });
    expect(run.of('prm.resource_matched')).toHaveLength(1);
    expect(run.of('as_metadata.discovered')[0]).toMatchObject({ issuer: `http://localhost:${as}` });
    expect(run.of('registration.chosen')[0]).toMatchObject({ method: 'dcr' });
    expect(run.of('token.received')[0]?.claims).toMatchObject({ aud: `http://localhost:${mcp}/mcp` });
    const results = Object.fromEntries(run.of('tool.result').map((r) => [r.name, r]));
    expect(results.whoami).toMatchObject({ isError: false, text: expect.stringMatching(/^sub \S+, scope "mcp:connect"/) });
    // A tool's own failure (isError) is its answer, reported; the journey goes on.
    expect(results.refuse).toMatchObject({ isError: true, text: expect.stringContaining('refused on purpose') });
    // FastMCP holds a session (Mcp-Session-Id) and lets the client end it.
    expect(run.of('mcp.session_ended')[0]).toMatchObject({ session_id: run.of('mcp.session_started')[0]?.session_id, status: 200 });
    expect(run.of('journey.succeeded')).toHaveLength(1);
  });

  it('authorizes with a Client ID Metadata Document when the AS supports it, and FastMCP accepts that token', async () => {
    const base = `http://localhost:${host}`;
    const run = await runClient(`http://localhost:${mcp}/mcp`, [
      '--client-metadata-url', `${base}/client-metadata.json`, '--redirect-uri', `${base}/callback`, '--call', 'whoami',
    ]);
    expect(run.exitCode, `${run.stderr}\n${server.output()}`).toBe(0);
    expect(run.of('as_metadata.discovered')[0]).toMatchObject({ client_id_metadata_document_supported: true });
    expect(run.of('registration.chosen')[0]).toMatchObject({ method: 'cimd', client_id: `${base}/client-metadata.json` });
    expect(run.of('registration.completed')).toEqual([]);
    expect(run.of('tool.result')[0]).toMatchObject({ name: 'whoami', isError: false });
  });
});
