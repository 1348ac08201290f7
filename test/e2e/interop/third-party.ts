/**
 * Third-party MCP servers for the interop matrix: started from their npm packages (pinned
 * devDependencies), never from code copied into this repository, on loopback ports the test
 * picked. `loopback-listen.mjs` is preloaded into each one: it binds every listener to
 * 127.0.0.1 and moves a hard-coded port to the test's (the server's code is left as shipped).
 */
import { execa } from 'execa';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseTrace, root, runCommand } from '../processes.ts';
import type { TraceEvent } from '@mcp-auth-demo/trace';

const preload = fileURLToPath(new URL('./loopback-listen.mjs', import.meta.url));

/** Where `@modelcontextprotocol/sdk` (v1) ships its example servers. */
export const SDK_EXAMPLES = 'node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server';

export interface RunningServer {
  /** What the server printed (for a failure message). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node [--import loopback-listen] <args>`; resolves once every port accepts connections. */
export async function startServer(args: string[], options: { ports: number[]; env?: Record<string, string>; preload?: boolean }): Promise<RunningServer> {
  const child = execa(process.execPath, [...(options.preload === false ? [] : ['--import', preload]), ...args], {
    cwd: root,
    env: { NO_COLOR: '1', ...options.env },
    reject: false,
    all: true,
    buffer: false,
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await child;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 20_000;
  for (const port of options.ports) {
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`${args.join(' ')} did not listen on ${port}:\n${output}`);
      }
      await sleep(50);
    }
  }
  return { output: () => output, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `pnpm client <url> --json …` as a user runs it: the exit code and the trace's events. */
export async function runClient(url: string, args: string[] = []) {
  const result = await runCommand('client', [url, '--json', ...args]);
  const events = parseTrace(String(result.stdout));
  const of = <K extends TraceEvent['kind']>(kind: K) => events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
  return { exitCode: result.exitCode, stderr: String(result.stderr), events, of };
}
