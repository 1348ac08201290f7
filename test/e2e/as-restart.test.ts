/**
 * Issue 8 item 11, for real: the authorization server restarts with a new signing key while the
 * resource server keeps running. The RS must accept the first token signed with the new key on
 * its first request (it refetches the JWKS for the unknown `kid` at once, or at the end of a 1 s
 * cooldown), not refuse tokens for 30 s. Real processes on loopback; nothing is mocked.
 */
import { ENV } from '@mcp-auth-demo/common';
import { EXIT_WITH_PARENT_ENV } from '@mcp-auth-demo/server-process';
import { type TraceEvent } from '@mcp-auth-demo/trace';
import { freePorts } from '@mcp-auth-demo/stack';
import { describe, expect, it } from 'vitest';
import { runCommand, runScript, stopServer, whenListening, type ServerProcess } from './processes.ts';

/** Starts one server's serve.ts and resolves once it listens; its trace lines go to `events`. */
function startServer(entry: string, env: Record<string, string>, events: TraceEvent[]): Promise<ServerProcess> {
  const child = runScript(entry, [], { env: { ...env, [EXIT_WITH_PARENT_ENV]: '1' }, buffer: false, timeout: 0, stdin: 'pipe' });
  return whenListening(child, events, entry);
}

async function currentKid(issuer: string): Promise<string> {
  const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
  return jwks.keys.map((key) => key.kid).join(',');
}

describe('an authorization server restart with a new key (issue 8 item 11)', () => {
  it('the resource server accepts the new key’s first token on its first request', async () => {
    const ports = await freePorts();
    const env = {
      [ENV.issuer]: `http://localhost:${ports.as}`,
      [ENV.resource]: `http://localhost:${ports.rs}/mcp`,
      [ENV.clientBase]: `http://localhost:${ports.client}`,
    };
    const rsEvents: TraceEvent[] = [];
    const asEvents: TraceEvent[] = [];
    const clientArgs = [
      '--client-metadata-url', `http://localhost:${ports.client}/client-metadata.json`,
      '--redirect-uri', `http://localhost:${ports.client}/callback`,
      '--call', 'whoami',
      env[ENV.resource]!,
    ];
    const servers: ServerProcess[] = [];
    try {
      servers.push(await startServer('packages/resource-server/src/serve.ts', env, rsEvents));
      servers.push(await startServer('packages/client/src/serve.ts', env, []));
      let as = await startServer('packages/authorization-server/src/serve.ts', env, asEvents);

      expect((await runCommand('client', clientArgs)).exitCode).toBe(0);
      const kidBefore = await currentKid(env[ENV.issuer]!);

      await stopServer(as);
      as = await startServer('packages/authorization-server/src/serve.ts', env, asEvents);
      servers.push(as);
      // The premise: the restarted AS signs with a key the RS has not seen.
      expect(await currentKid(env[ENV.issuer]!)).not.toBe(kidBefore);

      const second = await runCommand('client', clientArgs);
      expect(second.exitCode).toBe(0);
      expect(String(second.stdout)).toContain('result from whoami');
      expect(rsEvents.filter((event) => event.kind === 'token.rejected')).toEqual([]);
      expect(rsEvents.filter((event) => event.kind === 'jwks.fetched')).toHaveLength(2);
    } finally {
      await Promise.all(servers.map(stopServer));
    }
  });
});
