/**
 * Starts a baseline server (serve.ts) as a process of its own, from its bundle in dist/ as our
 * servers run in `pnpm bench` (the caller makes sure dist/ is built); see that file.
 */
import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BaselineKind } from './serve.ts';

export interface Baseline {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL('../../../dist/packages/bench/src/serve.js', import.meta.url));

export function startBaseline(kind: BaselineKind): Promise<Baseline> {
  const child: ResultPromise = execa(process.execPath, [entry, kind], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'inherit',
    reject: false,
    buffer: false,
    cleanup: true,
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await child;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`baseline ${kind} did not start within 30 s`)), 30_000);
    void child.then(() => reject(new Error(`baseline ${kind} exited before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{"listening"')) return;
      clearTimeout(timer);
      const { listening } = JSON.parse(line) as { listening: number };
      resolve({ url: `http://127.0.0.1:${listening}`, pid: child.pid!, stop });
    });
  });
}
