/**
 * Revocation by push across an AS that goes down and restarts (docs/revocation.md, "AS restarts"):
 * the real AS, RS and client host as processes (their bundles), real HTTP on loopback, ephemeral
 * ports, nothing mocked. The RS is subscribed; then
 *
 * 1. the AS goes down: the RS falls back to introspection on every request, which fails, so it
 *    refuses (fail closed) with 503 `temporarily_unavailable`, never a 500, and its trace says
 *    `revocation_channel.lost` once;
 * 2. the AS comes back (a new run, a fresh key): the RS resubscribes (a new epoch), and the old
 *    run's token no longer verifies;
 * 3. the RS is stopped (SIGSTOP) while the AS restarts again and revokes a token of its new run
 *    (a replayed code): nobody pushes it (the new run knows no subscriber). After SIGCONT the RS
 *    refuses that token on its first request, and the revocation reaches it by catch-up.
 */
import { ENV } from '@mcp-auth-demo/common';
import { EXIT_WITH_PARENT_ENV } from '@mcp-auth-demo/server-process';
import { freePorts, urlsForPorts } from '@mcp-auth-demo/stack';
import { isListening, processesWithEnv } from '@mcp-auth-demo/stack/testing';
import { type TraceEvent } from '@mcp-auth-demo/trace';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { root, stopServer, whenListening, type ServerProcess } from './processes.ts';
import { issueToken, mcpCall, revokedByReplay } from './revocation-flows.ts';

/** Starts one server from its bundle; resolves once it listens; its trace goes to `events`. */
function startServer(pkg: string, env: Record<string, string>, events: TraceEvent[]): Promise<ServerProcess> {
  const child = execa(process.execPath, [`dist/packages/${pkg}/src/serve.js`], {
    cwd: root, env: { ...env, [EXIT_WITH_PARENT_ENV]: '1' }, reject: false, buffer: false, stdin: 'pipe', cleanup: true,
  });
  return whenListening(child, events, pkg);
}


/** Waits for a condition the servers bring about (a trace event, an answer): no fixed sleep. */
async function until<T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const jtiOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;

describe('revocation by push across AS restarts (RFC 8935 push, RFC 7662 fallback)', () => {
  it('fails closed while the AS is down, resubscribes to the new run, and catches up a revocation made while the RS was stopped', { timeout: 90_000 }, async () => {
    const ports = await freePorts();
    const urls = urlsForPorts(ports);
    const env = {
      [ENV.issuer]: urls.issuer,
      [ENV.resource]: urls.resource,
      [ENV.clientBase]: urls.clientBase,
      [ENV.introspectionSecret]: randomBytes(32).toString('base64url'),
    };
    const rsEvents: TraceEvent[] = [];
    const asEvents: TraceEvent[] = [];
    const count = (kind: TraceEvent['kind']) => rsEvents.filter((e) => e.kind === kind).length;
    const servers: ServerProcess[] = [];
    const startAs = async () => {
      const as = await startServer('authorization-server', env, asEvents);
      servers.push(as);
      return as;
    };
    try {
      const rs = await startServer('resource-server', env, rsEvents);
      servers.push(rs, await startServer('client', env, []));
      let as = await startAs();
      await until(() => rsEvents.find((e) => e.kind === 'revocation_channel.live'));
      const { token: oldRunToken } = await issueToken(urls);
      expect((await mcpCall(urls, oldRunToken)).status).toBe(200);

      // 1. The AS down: every request falls back to introspection, which fails: 503, never 500.
      await stopServer(as);
      const statuses = new Set<number>();
      const refused = await until(async () => {
        const response = await mcpCall(urls, oldRunToken);
        statuses.add(response.status);
        return response.status === 200 ? undefined : response;
      });
      expect([...statuses].sort()).toEqual([200, 503]);
      // RFC 9110 §15.6.4 503, §10.2.3 Retry-After; RFC 6749 §4.1.2.1 temporarily_unavailable.
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: string }).error).toBe('temporarily_unavailable');
      for (let i = 0; i < 3; i += 1) expect((await mcpCall(urls, oldRunToken)).status).toBe(503);
      expect(count('revocation_channel.lost')).toBe(1);

      // 2. The AS back, a new run with a fresh key: resubscribed (a new epoch); the old run's token is refused.
      as = await startAs();
      await until(() => rsEvents.find((e) => e.kind === 'revocation_channel.live' && e.restarted));
      const answer = await mcpCall(urls, oldRunToken);
      expect(answer.status).toBe(401);
      // RFC 6750 §3.1: invalid_token.
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

      // 3. The RS stopped; the AS restarts again and revokes a token of its new run; nobody pushes it.
      rs.process.kill('SIGSTOP');
      await stopServer(as);
      as = await startAs();
      const { token: revoked } = await revokedByReplay(urls);
      expect(asEvents.filter((e) => e.kind === 'security_event.pushed' && e.jti === jtiOf(revoked))).toEqual([]);
      rs.process.kill('SIGCONT');

      const first = await mcpCall(urls, revoked);
      expect(first.status).toBe(401);
      expect(first.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      await until(() => rsEvents.find((e) => e.kind === 'security_event.received' && e.jti === jtiOf(revoked)));
      expect(rsEvents.find((e) => e.kind === 'security_event.received' && e.jti === jtiOf(revoked))).toMatchObject({ via: 'catch-up' });
      expect((await mcpCall(urls, revoked)).status).toBe(401);
      expect(rsEvents.filter((e) => e.kind === 'request.rejected' && e.status >= 500 && e.status !== 503)).toEqual([]);
    } finally {
      await Promise.all(servers.map(stopServer));
    }
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(processesWithEnv(`MCP_DEMO_RESOURCE=${urls.resource}`)).toEqual([]);
  });
});
