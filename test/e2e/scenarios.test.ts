/**
 * Issue 9: `pnpm demo --scenario` against the real processes. Each scenario's refusal comes from
 * the party that should refuse, with the status and error code the spec names.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    ['expired-token', 'resource-server', 401, 'invalid_token'],
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

  it('client-impersonation: the real client_id with the attacker\'s loopback port reaches consent, which names both hosts', () => {
    const events = parseTrace(String(all.stdout));
    const scenario = events.slice(
      events.findIndex((e) => e.kind === 'scenario.started' && e.name === 'client-impersonation'),
      events.findIndex((e) => e.kind === 'scenario.finished' && e.name === 'client-impersonation') + 1,
    );
    const consent = scenario.find((e) => e.kind === 'consent.auto_approved');
    expect(consent).toMatchObject({ client_id: expect.stringMatching(/:\/\/localhost:\d+\/client-metadata\.json$/), redirect_elsewhere: true, loopback_redirects_only: true });
    expect(consent?.kind === 'consent.auto_approved' && consent.redirect_host).not.toBe(consent?.kind === 'consent.auto_approved' && consent.client_host);
  });

  it('expired-token: the RS refused the expired token, and the client refreshed instead of asking the user again', () => {
    const events = parseTrace(String(all.stdout));
    const scenario = events.slice(
      events.findIndex((e) => e.kind === 'scenario.started' && e.name === 'expired-token'),
      events.findIndex((e) => e.kind === 'scenario.finished' && e.name === 'expired-token') + 1,
    );
    // Each refusal was for expiry (one, unless a loaded machine let a fresh token run out too),
    // and each was answered by a refresh, never by a second trip through the browser.
    const reasons = scenario.flatMap((e) => (e.kind === 'token.rejected' ? [e.reason] : []));
    expect(reasons.length).toBeGreaterThanOrEqual(1);
    expect(new Set(reasons)).toEqual(new Set(['expired']));
    const lifetimes = (kind: 'token.issued' | 'token.refreshed') => scenario.flatMap((e) => (e.kind === kind ? [e.expires_in] : []));
    expect(lifetimes('token.issued')).toEqual([1]);
    expect(lifetimes('token.refreshed')).toEqual(reasons.map(() => 1));
  });

  it('prints the attempt, the refusal with its rule and the lesson; --diagram draws them', async () => {
    const diagram = join(mkdtempSync(join(tmpdir(), 'scenario-diagram-')), 'stolen-code.mmd');
    const result = await runCommand('demo', [...portFlags(await freePorts()), '--scenario', 'stolen-code', '--diagram', diagram]);
    expect(result.exitCode).toBe(0);
    const text = String(result.stdout);
    expect(text).toContain('Scenario stolen-code: An attacker redeems an intercepted code');
    expect(text).toMatch(/⚔ attacker: redeem it with a code_verifier of its own/);
    expect(text).toMatch(/⛔ refused by the AS: 400 invalid_grant\n\s+rule: .*RFC 7636 §4\.6/);
    expect(text).toMatch(/AS  PKCE failed: SHA-256\(verifier .+…\) = .+… ≠ challenge stored with the code/);
    expect(text).toMatch(/✔ defence held \(stolen-code\)\n\s+Lesson: /);
    const mermaid = readFileSync(diagram, 'utf8');
    expect(mermaid).toContain('participant X as misbehaving party');
    expect(mermaid).toContain('Note over U,RS: Scenario stolen-code: An attacker redeems an intercepted code');
    expect(mermaid).toMatch(/Note over X: ⚔ attacker: redeem it with a code_verifier of its own\n\s+X->>AS: POST \/token → 400\n/);
    expect(mermaid).toContain('Note over AS: ⛔ refused: 400 invalid_grant. SHA-256(code_verifier) must equal the stored code_challenge (RFC 7636 §4.6)');
    expect(mermaid).toContain('Note over U,RS: ✔ defence held (stolen-code)');
  });

  it('--scenario all ends with the table: scenario, who refused, how, held', async () => {
    const result = await runCommand('demo', [...portFlags(await freePorts()), '--scenario', 'all']);
    expect(result.exitCode).toBe(0);
    const table = String(result.stdout).slice(String(result.stdout).lastIndexOf('  scenario '));
    const rows = table.trim().split('\n').slice(2).map((row) => row.trim().split(/\s{2,}/));
    expect(rows.map(([name, by, how, defence]) => [name, by, how, defence])).toEqual(
      finished.map((f) => [f.name, { 'authorization-server': 'AS', 'resource-server': 'RS', client: 'client' }[f.by as string], f.status ? `${f.status} ${f.error}` : 'refused', 'held']),
    );
    for (const row of rows) expect(row[4]).toMatch(/^\d+ ms$/);
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
