/**
 * What the end-to-end tests need around the project's commands: run them as a user does, with
 * the port flags of a test's own free ports, and read their JSON trace. Ports and process
 * checks come from @mcp-auth-demo/stack and its testing entry point.
 */
import { parseEventLine, type TraceEvent } from '@mcp-auth-demo/trace';
import { execa, type Options, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export function portFlags(ports: { as: number; rs: number; client: number }): string[] {
  return ['--as-port', String(ports.as), '--rs-port', String(ports.rs), '--client-port', String(ports.client)];
}

/**
 * Runs `pnpm <command> <args>` as the user does: package.json's `exec node scripts/run.mjs
 * <command>`, the bundle on plain node (built by this project's global setup), without pnpm's
 * own start-up. The signal tests run pnpm itself.
 */
export function runCommand(command: 'demo' | 'serve' | 'client', args: string[], options: Options = {}) {
  return execa(process.execPath, ['scripts/run.mjs', command, ...args], {
    cwd: root,
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1' },
    ...options,
  });
}

/** Runs a TypeScript file with Node and tsx. */
export function runScript(script: string, args: string[], options: Options = {}) {
  return execa(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1' },
    ...options,
  });
}

export function parseTrace(stdout: string): TraceEvent[] {
  return stdout.split('\n').map(parseEventLine).filter((e): e is TraceEvent => e !== undefined);
}

/** The events of one kind, typed as that kind. */
export const only = <K extends TraceEvent['kind']>(events: TraceEvent[], kind: K) =>
  events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);

/** A running server (wrapped: the execa process is a thenable, and a promise must not adopt it). */
export type ServerProcess = { process: ResultPromise };

/** Resolves once a started server process says it listens; its trace lines go to `events`. */
export function whenListening(child: ResultPromise, events: TraceEvent[], name: string): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = parseEventLine(line);
      if (!event) return;
      events.push(event);
      if (event.kind === 'server.listening') resolve({ process: child });
    });
    void child.then((result) => reject(new Error(`${name} exited early (${result.exitCode ?? result.signal})`)));
  });
}

/** Stops a server process and waits for it, even one stopped by SIGSTOP (which cannot act on SIGTERM). */
export async function stopServer(server: ServerProcess): Promise<void> {
  server.process.kill('SIGCONT');
  server.process.kill('SIGTERM');
  await server.process;
}
