/**
 * `pnpm demo --interactive` as the browser tests drive it: started on free ports with `--json`
 * (the trace on stdout) and BROWSER=true (the system opener a no-op: the test's Chromium opens
 * the pages), its stderr watched for what it asks the person to do.
 */
import { freePorts } from '@mcp-auth-demo/stack';
import { portFlags, runCommand } from './processes.ts';

export async function startInteractiveDemo(options: { https?: boolean; env?: Record<string, string> } = {}) {
  const ports = await freePorts();
  const demo = runCommand('demo', ['--interactive', ...(options.https ? ['--https'] : []), '--json', ...portFlags(ports)], {
    env: { NO_COLOR: '1', BROWSER: 'true', ...options.env },
    timeout: 120_000,
  });
  let stderr = '';
  const waiting: (() => void)[] = [];
  demo.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    waiting.splice(0).forEach((wake) => wake());
  });
  /** The n-th match of `pattern` on stderr (its first group, if it has one), once the demo printed it. */
  async function printed(pattern: RegExp, n = 1): Promise<string> {
    for (;;) {
      const found = [...stderr.matchAll(new RegExp(pattern, 'g'))];
      if (found.length >= n) return found[n - 1]![1] ?? found[n - 1]![0];
      if (demo.exitCode !== null) throw new Error(`the demo ended before printing ${pattern} (${n}):\n${stderr}`);
      await Promise.race([new Promise<void>((wake) => waiting.push(wake)), demo.catch(() => {})]);
    }
  }
  /** The n-th authorization URL the demo asks the person to open. */
  const authorizationUrl = (n: number) => printed(new RegExp(`${options.https ? 'https' : 'http'}://localhost:${ports.as}/authorize\\?\\S+`), n);
  return { ports, demo, printed, authorizationUrl, stderr: () => stderr };
}
