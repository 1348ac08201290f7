/**
 * `pnpm client URL --grade --report FILE`, end to end, against real servers on loopback: the
 * lab's own MCP server and an official-SDK v1 server (test/e2e/interop/sdk1-own-server.ts) get
 * no fail; its two deliberately lax variants fail exactly the check they break (one skips the
 * `aud` check, one takes the token from the query string); against an SDK example server with its
 * own AS, the checks that need the lab's AS are not-seen with the reason, and the card shows that
 * server's known deviations. The client cards of `pnpm serve` stay clean: the probes are declared.
 */
import type { ServerCard, ServerCheckId, Verdict } from '@mcp-auth-demo/verdicts';
import { freePort } from '@mcp-auth-demo/stack';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClient, SDK_EXAMPLES, startServer, type RunningServer } from './interop/third-party.ts';
import { startServe, stop, verdicts } from './serve-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'server-grade-'));
let reports = 0;

/** `pnpm client URL --grade --report FILE [args]`: the exit code, the trace and the card written. */
async function grade(url: string, args: string[] = []) {
  const report = join(dir, `card-${(reports += 1)}.json`);
  const run = await runClient(url, ['--grade', '--report', report, ...args]);
  const card = JSON.parse(readFileSync(report, 'utf8')) as ServerCard;
  const v = Object.fromEntries(card.checks.map((c) => [c.id, c.verdict])) as Record<ServerCheckId, Verdict>;
  const failed = card.checks.filter((c) => c.verdict === 'fail').map((c) => c.id);
  return { run, card, v, failed, evidence: (id: ServerCheckId) => card.checks.find((c) => c.id === id)!.evidence };
}

describe('pnpm client URL --grade under pnpm serve', () => {
  let s: Awaited<ReturnType<typeof startServe>>;
  const servers: RunningServer[] = [];
  const own: Record<'strict' | 'aud' | 'query', string> = { strict: '', aud: '', query: '' };
  let cimd: string[];
  beforeAll(async () => {
    const ports = { strict: await freePort(), aud: await freePort(), query: await freePort() };
    for (const kind of ['strict', 'aud', 'query'] as const) own[kind] = `http://localhost:${ports[kind]}/mcp`;
    s = await startServe(Object.values(own).flatMap((url) => ['--resource', url]));
    cimd = ['--client-metadata-url', `${s.urls.clientBase}/client-metadata.json`, '--redirect-uri', `${s.urls.clientBase}/callback`];
    for (const kind of ['strict', 'aud', 'query'] as const) {
      servers.push(
        await startServer(['--import', 'tsx', 'test/e2e/interop/sdk1-own-server.ts'], {
          ports: [ports[kind]],
          env: { INTEROP_PORT: String(ports[kind]), INTEROP_ISSUER: s.urls.issuer, ...(kind !== 'strict' && { INTEROP_LAX: kind }) },
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    if (s) await stop(s.serve);
  });

  it("the lab's own MCP server passes all nine checks, and the client's card in pnpm serve stays clean", async () => {
    const { run, card, v } = await grade(s.urls.resource, [...cimd, '--call', 'get_weather', '--args', '{"city":"Paris"}']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(card.server).toBe(s.urls.resource);
    expect(card.checks.map((c) => c.id)).toEqual(['prm', 'challenge-401', 'as-metadata', 'signature', 'audience', 'expiry', 'query-token', 'insufficient-scope', 'origin']);
    expect(Object.entries(v).filter(([, verdict]) => verdict !== 'pass'), JSON.stringify(card, null, 2)).toEqual([]);
    expect(card.checks.every((c) => c.rule.length > 0 && c.evidence.length > 0)).toBe(true);
    // Every probe is a real request the trace shows, announced and graded.
    expect(run.of('server_check.probed').map((e) => e.check)).toEqual(expect.arrayContaining(['audience', 'expiry', 'query-token', 'origin']));
    expect(run.of('server_check.graded')).toHaveLength(9);
    // The probes are declared (as contrasts are): the client is not graded for the tokens it sent
    // on purpose. A second client's token reaching the RS after them is the sign that the grader
    // has seen the probes' events (one pipe, in order), so the first card is read after them.
    const later = await runClient(s.urls.resource, ['--registration', 'dcr', '--call', 'whoami', '--no-contrasts']);
    const laterId = later.of('registration.completed')[0]!.client_id;
    await s.card(laterId, (c) => c.checks.some((k) => k.id === 'token-audience' && k.verdict !== 'not-seen'));
    const clientCard = verdicts((await s.card(`${s.urls.clientBase}/client-metadata.json`))!);
    expect(clientCard['token-audience']).toBe('pass');
    expect(clientCard['bearer-header']).toBe('pass');
  });

  it('an official-SDK v1 server that follows the recipe passes all nine checks', async () => {
    const { run, v, card } = await grade(own.strict, [...cimd, '--call', 'forecast', '--args', '{}']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(Object.entries(v).filter(([, verdict]) => verdict !== 'pass'), JSON.stringify(card, null, 2)).toEqual([]);
  });

  it.each([
    ['skips the aud check', 'audience', 'aud', /token for another resource .* → 200 \(accepted\)/],
    ['accepts a token in the query string', 'query-token', 'query', /\?access_token=… → 200 \(accepted\)/],
  ] as const)('a server that %s fails exactly %s', async (_what, check, kind, evidence) => {
    const { run, failed, evidence: of } = await grade(own[kind], cimd);
    expect(failed).toEqual([check]);
    expect(of(check)).toMatch(evidence);
    expect(run.exitCode).toBe(1);
  });
});

describe('pnpm client URL --grade against a server whose AS is not the lab\'s', () => {
  let server: RunningServer;
  let mcp: number;
  beforeAll(async () => {
    const as = await freePort();
    mcp = await freePort();
    server = await startServer([`${SDK_EXAMPLES}/simpleStreamableHttp.js`, '--oauth'], { ports: [mcp, as], env: { MCP_PORT: String(mcp), MCP_AUTH_PORT: String(as) } });
  });
  afterAll(() => server?.stop());

  it('audience and expiry are not-seen with the reason; the card shows its known deviations (invalid_token on no token, no scope)', async () => {
    const { v, evidence } = await grade(`http://localhost:${mcp}/mcp`);
    expect(v.audience).toBe('not-seen');
    expect(v.expiry).toBe('not-seen');
    expect(evidence('audience')).toMatch(/not issued by|grading facility|not the lab's/);
    expect(v['challenge-401']).toBe('warn');
    expect(evidence('challenge-401')).toMatch(/error="invalid_token" although no token was sent; no scope/);
    expect(v.prm).toBe('pass');
  });
});
