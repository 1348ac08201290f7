/**
 * Issue 9: `pnpm demo --scenario` against the real processes. Each scenario's refusal comes from
 * the party that should refuse, with the status and error code the spec names.
 */
import type { TraceEvent } from '@mcp-auth-demo/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { parseTrace, portFlags, runCommand } from './processes.ts';

type Finished = Extract<TraceEvent, { kind: 'scenario.finished' }>;

describe('pnpm demo --scenario', () => {
  let finished: Finished[];
  let all: Awaited<ReturnType<typeof runCommand>>;
  beforeAll(async () => {
    all = await runCommand('demo', [...portFlags(await freePorts()), '--scenario', 'all', '--json']);
    finished = parseTrace(String(all.stdout)).filter((e): e is Finished => e.kind === 'scenario.finished');
  });

  it.each([
    ['missing-resource', 'authorization-server', 302, 'invalid_target'],
    ['token-for-another-server', 'resource-server', 401, 'invalid_token'],
    ['stolen-code', 'authorization-server', 400, 'invalid_grant'],
    ['code-replay', 'resource-server', 401, 'invalid_token'],
    ['redirect-hijack', 'authorization-server', 400, 'invalid_request'],
    ['client-impersonation', 'authorization-server', 400, 'invalid_client'],
    ['authorization-server-mix-up', 'client', undefined, undefined],
    ['scope-overwrite', 'resource-server', 403, 'insufficient_scope'],
  ])('%s: refused by %s with %s %s, the defence held', (name, by, status, error) => {
    const result = finished.find((f) => f.name === name);
    expect(result).toMatchObject({ held: true, by });
    expect(result?.status).toBe(status);
    expect(result?.error).toBe(error);
  });

  it('exits 0 when every defence held', () => {
    expect(all.exitCode).toBe(0);
    expect(all.stderr).toBe('');
  });

  it('prints the attempt, the refusal with its rule and the lesson', async () => {
    const result = await runCommand('demo', [...portFlags(await freePorts()), '--scenario', 'stolen-code']);
    expect(result.exitCode).toBe(0);
    const text = String(result.stdout);
    expect(text).toContain('Scenario stolen-code: An attacker redeems an intercepted code');
    expect(text).toMatch(/⚔ attacker: redeem it with a code_verifier of its own/);
    expect(text).toMatch(/⛔ refused by the AS: 400 invalid_grant\n\s+rule: .*RFC 7636 §4\.6/);
    expect(text).toMatch(/PKCE failed: SHA-256\(code_verifier .*\)/);
    expect(text).toMatch(/✔ defence held \(stolen-code\)\n\s+Lesson: /);
  });

  it('lists every scenario with a one-line description', async () => {
    const result = await runCommand('demo', ['--scenario', 'list']);
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout).trim().split('\n')).toHaveLength(finished.length);
  });

  it('refuses an unknown scenario name with the valid names', async () => {
    const result = await runCommand('demo', ['--scenario', 'nope']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toContain('unknown scenario "nope"; one of: list, all, missing-resource');
  });
});
