/**
 * Load from a real load generator (autocannon), bounded in count and in time, loopback only.
 *
 * Every run is checked: a benchmark that measured errors or unexpected statuses is not a
 * figure, so `load` throws instead of printing a number that means nothing.
 */
import autocannon from 'autocannon';

export interface LoadFigures {
  requests: number;
  /** Requests per second over the whole run. */
  rate: number;
  /** Latency percentiles in ms, at autocannon's 1 ms resolution. */
  p50: number;
  p99: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Total requests (the run's bound in count). */
  amount: number;
  /** The run's bound in time, seconds. */
  maxSeconds?: number;
  requests: autocannon.Request[];
  /** Whether every answer must be 2xx (false: the caller checks statuses itself). */
  checkStatus?: boolean;
}

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`bench: refusing to send load to ${host}: loopback only`);
  }
}

export async function load(options: LoadOptions): Promise<LoadFigures> {
  assertLoopback(options.url);
  const started = performance.now();
  let finished = started;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    amount: options.amount,
    duration: options.maxSeconds ?? 120,
    requests: options.requests,
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>; // an emitter that is also a promise
  // The rate is taken from the last answer, not from when autocannon reports: it reports on its
  // one-second tick, which would round every run up to whole seconds (a 4.2 s run counted as 5 s).
  instance.on('response', () => (finished = performance.now()));
  const result = await instance;
  const total = result.requests.total;
  const bad = result.errors + result.timeouts + (options.checkStatus === false ? 0 : result.non2xx);
  if (bad > 0) throw new Error(`bench: ${bad} of ${total} requests to ${options.url} failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`);
  const seconds = (finished - started) / 1000;
  return { requests: total, rate: total / seconds, p50: result.latency.p50, p99: result.latency.p99 };
}
