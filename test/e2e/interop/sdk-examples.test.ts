/**
 * Interop: `pnpm client` against the example servers that ship inside the official MCP
 * TypeScript SDK (`@modelcontextprotocol/sdk`, pinned), as their authors run them. Each test
 * asserts the client's decisions in its trace, not only the exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@mcp-auth-demo/stack';
import { runClient, SDK_EXAMPLES, startServer, type RunningServer } from './third-party.ts';

describe.each([
  ['--oauth', ['--oauth']],
  ['--oauth --oauth-strict', ['--oauth', '--oauth-strict']],
])('SDK simpleStreamableHttp %s (stateful, SSE, tasks, its demo AS with DCR)', (_name, flags) => {
  let server: RunningServer;
  let mcp: number;
  let as: number;
  beforeAll(async () => {
    [mcp, as] = [await freePort(), await freePort()];
    server = await startServer([`${SDK_EXAMPLES}/simpleStreamableHttp.js`, ...flags], {
      ports: [mcp, as],
      env: { MCP_PORT: String(mcp), MCP_AUTH_PORT: String(as) },
    });
  });
  afterAll(() => server?.stop());

  it('discovers, registers by DCR, authorizes, lists tools, skips task-only and argument tools, calls the rest, ends its session', async () => {
    const run = await runClient(`http://localhost:${mcp}/mcp`);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.of('challenge.parsed')[0]).toMatchObject({ status: 401, resource_metadata: `http://localhost:${mcp}/.well-known/oauth-protected-resource/mcp` });
    expect(run.of('prm.resource_matched')).toHaveLength(1);
    expect(run.of('as_metadata.discovered')[0]).toMatchObject({ issuer: `http://localhost:${as}/`, client_id_metadata_document_supported: false });
    // Its AS has no CIMD: the client falls back to Dynamic Client Registration.
    expect(run.of('registration.chosen')[0]).toMatchObject({ method: 'dcr' });
    expect(run.of('authorization.callback')[0]).toMatchObject({ state_matched: true });
    expect(run.of('token.received')).toHaveLength(1);
    expect(run.of('mcp.session_started')).toHaveLength(1);
    const skipped = Object.fromEntries(run.of('tool.skipped').map((s) => [s.name, s.reason]));
    expect(skipped['collect-user-info-task']).toMatch(/taskSupport "required"/);
    expect(skipped.greet).toMatch(/needs arguments \(name\)/);
    expect(run.of('tool.result').map((r) => r.name)).toContain('list-files');
    expect(run.of('tool.failed')).toEqual([]);
    expect(run.of('mcp.session_ended')[0]).toMatchObject({ session_id: run.of('mcp.session_started')[0]!.session_id, status: 200 });
    expect(run.of('journey.succeeded')).toHaveLength(1);
  });

  it('calls the tool named with --call and its arguments', async () => {
    const run = await runClient(`http://localhost:${mcp}/mcp`, ['--call', 'greet', '--args', '{"name":"interop"}']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.of('tool.result')[0]).toMatchObject({ name: 'greet', text: 'Hello, interop!', isError: false });
  });

  it('fails the journey when the tool named with --call answers isError (the user asked for its result)', async () => {
    // Called plainly, without the task the tool requires: this server answers with isError.
    const run = await runClient(`http://localhost:${mcp}/mcp`, ['--call', 'collect-user-info-task', '--args', '{"infoType":"contact"}']);
    expect(run.exitCode).toBe(1);
    expect(run.of('tool.result')[0]).toMatchObject({ name: 'collect-user-info-task', isError: true });
    expect(run.of('journey.failed')[0]).toMatchObject({ title: 'Call collect-user-info-task', received: expect.stringMatching(/isError: .*requires task augmentation/) });
    // The session is ended even when the journey fails.
    expect(run.of('mcp.session_ended')).toHaveLength(1);
  });
});

describe('SDK jsonResponseStreamableHttp (no auth, JSON responses, hard-coded port 3000 moved by the harness)', () => {
  let server: RunningServer;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = await startServer([`${SDK_EXAMPLES}/jsonResponseStreamableHttp.js`], { ports: [port], env: { INTEROP_PORT_MAP: `3000=${port}` } });
  });
  afterAll(() => server?.stop());

  it('says no authorization is needed, calls greet, and its DELETE is answered 404 (the example has no DELETE route)', async () => {
    const run = await runClient(`http://localhost:${port}/mcp`, ['--call', 'greet', '--args', '{"name":"json"}']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.of('authorization.not_required')).toHaveLength(1);
    expect(run.of('token.received')).toEqual([]);
    expect(run.of('tool.result')[0]).toMatchObject({ name: 'greet', text: 'Hello, json!' });
    expect(run.of('mcp.session_ended')[0]).toMatchObject({ status: 404 });
  });
});

describe('SDK honoWebStandardStreamableHttp (no auth, stateless, web-standard transport on Hono)', () => {
  let server: RunningServer;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = await startServer([`${SDK_EXAMPLES}/honoWebStandardStreamableHttp.js`], { ports: [port], env: { MCP_PORT: String(port) } });
  });
  afterAll(() => server?.stop());

  it('says no authorization is needed, holds no session, calls greet', async () => {
    const run = await runClient(`http://localhost:${port}/mcp`, ['--call', 'greet', '--args', '{"name":"hono"}']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.of('authorization.not_required')).toHaveLength(1);
    expect(run.of('mcp.session_started')).toEqual([]);
    expect(run.of('tool.result')[0]?.text).toMatch(/^Hello, hono!/);
  });
});
