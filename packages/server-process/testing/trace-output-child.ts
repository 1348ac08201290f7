/**
 * A server process for trace-output.e2e.test.ts: it emits numbered trace events through the batched
 * stdout sink and then ends one of two ways. Its events are what the test counts.
 *
 *   exit     emit 5,000 events in one go, then process.exit(0) at once (nothing flushed yet)
 *   sigterm  a real `serveApp` that keeps emitting; the test sends SIGTERM; serveApp's handler
 *            exits; stderr says how many events were emitted
 */
import { createEmitter, stdoutSink } from '@mcp-auth-demo/trace';
import { serveApp } from '../src/index.ts';

const emit = createEmitter('resource-server', stdoutSink);
let emitted = 0;
const next = () => emit('tool.invoked', { name: 'count', sub: String(emitted++) });

if (process.argv[2] === 'exit') {
  while (emitted < 5_000) next();
  process.exit(0);
} else {
  serveApp({ party: 'resource-server', url: 'http://127.0.0.1:0/', fetch: () => new Response('ok'), portHint: '' });
  process.on('exit', () => process.stderr.write(`emitted ${emitted}\n`));
  let announced = false;
  const tick = () => {
    for (let i = 0; i < 50; i++) next();
    if (!announced && emitted >= 2_000) {
      announced = true;
      process.stderr.write('ready\n');
    }
    setImmediate(tick);
  };
  tick();
}
