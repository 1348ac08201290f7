/**
 * The recipes of docs/your-own-server.md, tried end to end: each server built with a framework
 * this project did not write (the official SDK v2, Vercel's mcp-handler) is started on loopback
 * with its Protected Resource Metadata naming the lab's AS, run behind `pnpm serve --resource`,
 * and graded with `pnpm client URL --grade --report FILE`. The card says what each does: the
 * SDK v2 recipe passes all nine checks; mcp-handler passes the token checks and keeps its known
 * deviation (`error="invalid_token"` on a request without a token: a warn).
 */
import type { ServerCard, ServerCheckId, Verdict } from '@mcp-auth-demo/verdicts';
import { freePort } from '@mcp-auth-demo/stack';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClient, startServer, type RunningServer } from './interop/third-party.ts';
import { startServe, stop } from './serve-harness.ts';

const RECIPES = { sdk2: 'test/e2e/interop/sdk2-own-server.ts', 'mcp-handler': 'test/e2e/interop/mcp-handler-server.ts' } as const;
type Recipe = keyof typeof RECIPES;

describe('the recipes behind pnpm serve --resource, graded by pnpm client --grade', () => {
  let s: Awaited<ReturnType<typeof startServe>>;
  const servers: RunningServer[] = [];
  const urls = {} as Record<Recipe, string>;
  const dir = mkdtempSync(join(tmpdir(), 'recipes-'));
  beforeAll(async () => {
    const ports = { sdk2: await freePort(), 'mcp-handler': await freePort() };
    for (const recipe of Object.keys(RECIPES) as Recipe[]) urls[recipe] = `http://localhost:${ports[recipe]}/mcp`;
    s = await startServe(Object.values(urls).flatMap((url) => ['--resource', url]));
    for (const recipe of Object.keys(RECIPES) as Recipe[]) {
      servers.push(await startServer(['--import', 'tsx', RECIPES[recipe]], { ports: [ports[recipe]], env: { INTEROP_PORT: String(ports[recipe]), INTEROP_ISSUER: s.urls.issuer } }));
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    if (s) await stop(s.serve);
  });

  async function grade(recipe: Recipe) {
    const report = join(dir, `${recipe}.json`);
    const cimd = ['--client-metadata-url', `${s.urls.clientBase}/client-metadata.json`, '--redirect-uri', `${s.urls.clientBase}/callback`];
    const run = await runClient(urls[recipe], [...cimd, '--grade', '--report', report]);
    const card = JSON.parse(readFileSync(report, 'utf8')) as ServerCard;
    const v = Object.fromEntries(card.checks.map((c) => [c.id, c.verdict])) as Record<ServerCheckId, Verdict>;
    return { run, card, v };
  }

  it('SDK v2 (createMcpHandler with the checks in front): a token with aud = that server, all nine checks pass', async () => {
    const { run, card, v } = await grade('sdk2');
    expect(run.exitCode, `${run.stderr}\n${servers[0]!.output()}`).toBe(0);
    expect(run.of('token.received')[0]?.claims).toMatchObject({ aud: urls.sdk2 });
    expect(Object.entries(v).filter(([, verdict]) => verdict !== 'pass'), JSON.stringify(card, null, 2)).toEqual([]);
  });

  it('mcp-handler (withMcpAuth, protectedResourceHandler): the token checks pass, its known deviation is a warn', async () => {
    const { run, card, v } = await grade('mcp-handler');
    expect(run.exitCode, `${run.stderr}\n${servers[1]!.output()}`).toBe(0);
    expect(run.of('token.received')[0]?.claims).toMatchObject({ aud: urls['mcp-handler'] });
    expect(v).toMatchObject({ prm: 'pass', 'as-metadata': 'pass', signature: 'pass', audience: 'pass', expiry: 'pass', 'query-token': 'pass', origin: 'pass' });
    expect(v['challenge-401']).toBe('warn');
    expect(card.checks.find((c) => c.id === 'challenge-401')!.evidence).toMatch(/error="invalid_token" although no token was sent/);
    // Its one tool needs no more than the base scope: nothing to step up for.
    expect(v['insufficient-scope']).toBe('not-seen');
  });
});
