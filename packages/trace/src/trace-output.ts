/**
 * A server process's trace output: its events as JSON lines on stdout, for the orchestrator to
 * merge (trace-writer.ts), written in batches instead of one write per event.
 *
 * - Batching: events are queued and written together, once per turn of the event loop. A
 *   request that emits five events costs one write system call, not five, and the requests
 *   answered in the same turn share it: under load that one write per request was the largest
 *   cost the resource server had over the same MCP layer without authorization (`pnpm bench`,
 *   docs/speed.md). The write itself is synchronous, as Node's writes to a pipe are on Linux anyway.
 * - Causal order is kept: `serveApp` holds each answer until `traceOutputWritten()` resolves, so
 *   every event a request caused is on the pipe before its answer leaves, which is what lets the
 *   orchestrator place server decisions inside the client step that caused them (trace.ts,
 *   "Ordering across processes").
 * - Nothing is lost: whatever is still queued is written on `exit`, which Node emits for a normal
 *   end, `process.exit()` (the SIGINT/SIGTERM handlers of `serveApp` call it) and an uncaught
 *   exception alike. (SIGKILL cannot be caught; at most the current turn's events are lost.)
 */
import { writeSync } from 'node:fs';
import { formatEventLine, type TraceSink } from './trace.ts';

let queued: string[] = [];
let scheduled = false;
let exitHookInstalled = false;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `bytes` to stdout before returning. `process.stdout.write` may keep part of a
 * large write queued in memory, and whatever is queued when the process exits is lost; a direct
 * write cannot lose anything. If the reader is behind (EAGAIN on a non-blocking pipe), waiting
 * for it is the right backpressure: the alternative is unbounded memory.
 */
function writeAll(bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** Writes every queued trace line now, in one write. */
export function flushTraceOutput(): void {
  if (queued.length === 0) return;
  const text = queued.join('');
  queued = [];
  writeAll(Buffer.from(text));
}

/** Resolves once the turn's flush has run (set while one is scheduled). */
let written: Promise<void> | undefined;
let markWritten: () => void = () => {};

function scheduleFlush(): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', flushTraceOutput);
  }
  if (scheduled) return;
  scheduled = true;
  written = new Promise((resolve) => (markWritten = resolve));
  setImmediate(() => {
    scheduled = false;
    written = undefined;
    try {
      flushTraceOutput();
    } finally {
      markWritten();
    }
  });
}

/**
 * Resolves once every event queued so far is on stdout: at once when nothing is queued, else at
 * this turn's one flush (shared by every request answered in the turn). Await it before an answer
 * leaves (serveApp does).
 */
export function traceOutputWritten(): Promise<void> {
  return queued.length === 0 || written === undefined ? Promise.resolve() : written;
}

/** The trace sink of a server process: JSON lines on stdout, batched (see the header). */
export const stdoutSink: TraceSink = (event) => {
  queued.push(formatEventLine(event));
  scheduleFlush();
};
