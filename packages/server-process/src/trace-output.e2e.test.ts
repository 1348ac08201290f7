/**
 * The batched trace output of a server process loses nothing: not on a normal exit right after
 * the events were emitted, not on SIGTERM in the middle of a stream of events. Real child
 * processes, real pipes; the test counts the lines.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '@mcp-auth-demo/trace';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('../testing/trace-output-child.ts', import.meta.url));

interface Run {
  counted: number[];
  stderr: string;
  code: number | null;
}

function run(mode: 'exit' | 'sigterm'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, mode], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    proc.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
      if (mode === 'sigterm' && stderr.includes('ready\n')) proc.kill('SIGTERM');
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      const counted = stdout
        .split('\n')
        .map((line) => parseEventLine(line))
        .filter((event) => event?.kind === 'tool.invoked')
        .map((event) => Number((event as { sub: string }).sub));
      resolve({ counted, stderr, code });
    });
  });
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('batched trace output: nothing is lost', () => {
  it('on process.exit() right after 5,000 events were emitted (none flushed yet)', async () => {
    const result = await run('exit');
    expect(result.code).toBe(0);
    expect(result.counted).toEqual(upTo(5_000));
  });

  it('on SIGTERM to a serving process in the middle of a stream of events', async () => {
    const result = await run('sigterm');
    expect(result.code).toBe(0);
    const emitted = Number(/emitted (\d+)/.exec(result.stderr)?.[1]);
    expect(emitted).toBeGreaterThanOrEqual(2_000);
    expect(result.counted).toEqual(upTo(emitted));
  });
});
