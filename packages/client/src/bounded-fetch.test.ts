/**
 * A hostile or broken server cannot hang the client or fill its memory, and a failed connection
 * says why. Real sockets on loopback, with small bounds so the tests stay quick.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoundedFetch, describeNetworkError } from './bounded-fetch.ts';
import { runJourney } from './journey.ts';
import { StepFailure } from './step-failure.ts';

const bounds = { timeoutMs: 300, maxBytes: 1000 };
let server: Server;
let origin: string;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const drip = (chunk: string, everyMs: number) => {
      const timer = setInterval(() => res.write(chunk), everyMs);
      res.on('close', () => clearInterval(timer));
    };
    switch (req.url) {
      case '/endless': // a body that never ends, as fast as it goes
        res.writeHead(200, { 'content-type': 'application/json' });
        drip('x'.repeat(512), 5);
        return;
      case '/silent': // accepts the request, never answers
        return;
      case '/slow-body': // small, but never finishes
        res.writeHead(200, { 'content-type': 'application/json' });
        drip(' ', 50);
        return;
      case '/declared-huge':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
        res.write('{');
        return;
      case '/stream': // an MCP event stream may outlive the time bound
        res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
        setTimeout(() => res.end('data: {}\n\n'), 500);
        return;
      case '/mcp': // a protected MCP server whose PRM never ends
        res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${origin}/endless"` }).end();
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise<void>((done) => server.close(() => done()));
});

describe('every client fetch is bounded in size and time', () => {
  const fetch = createBoundedFetch(globalThis.fetch, bounds);

  it('endless body: stops reading past the size bound instead of growing without limit', async () => {
    const response = await fetch(`${origin}/endless`);
    const reading = response.json();
    await expect(reading).rejects.toBeInstanceOf(StepFailure);
    await expect(reading).rejects.toThrow(/at most 1000 bytes.*stopped reading/);
  });

  it('a declared Content-Length over the bound is refused without reading the body', async () => {
    await expect(fetch(`${origin}/declared-huge`)).rejects.toThrow(/Content-Length: 52428800/);
  });

  it('silent server: no answer within the time bound fails instead of hanging', async () => {
    const started = performance.now();
    const refused = fetch(`${origin}/silent`);
    await expect(refused).rejects.toThrow(/within 0.3 s.*nothing in time/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('slow body (slowloris): a body still coming at the deadline fails with what was read', async () => {
    const response = await fetch(`${origin}/slow-body`);
    await expect(response.text()).rejects.toThrow(/the whole body .* in time.*still coming/);
  });

  it('an MCP event stream is bounded by size, not by the time bound', async () => {
    const response = await fetch(`${origin}/stream`);
    expect(await response.text()).toBe(': open\n\ndata: {}\n\n');
  });

  it('a normal answer passes through unchanged, with its URL', async () => {
    const response = await fetch(`${origin}/ok`);
    expect(response.url).toBe(`${origin}/ok`);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('the journey fails at discovery naming the step, the bound and what came back (endless PRM)', async () => {
    const result = await runJourney({
      serverUrl: `${origin}/mcp`,
      calls: [],
      registration: { redirectUri: 'http://127.0.0.1:1/callback', clientName: 'test' },
      fetchBounds: bounds,
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ step: 1, title: expect.stringMatching(/^Discovery/) });
    expect(result.failure?.expected).toMatch(/a body of at most 1000 bytes from ".*\/endless"/);
  });
});

describe('a failed connection names its cause, never just "fetch failed"', () => {
  it('connection refused: ECONNREFUSED with the address', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const refused = createBoundedFetch(globalThis.fetch)(`http://127.0.0.1:${port}/mcp`);
    await expect(refused).rejects.toThrow(new RegExp(`ECONNREFUSED at 127\\.0\\.0\\.1:${port}: connection refused`));
  });

  it.each([
    ['ENOTFOUND', Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' }), /^ENOTFOUND: no such host/],
    ['a TLS failure', Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), /^CERT_HAS_EXPIRED: TLS certificate expired/],
    ['happy eyeballs (AggregateError)', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED', address: '::1', port: 1 })]), /^ECONNREFUSED at ::1:1/],
    ['an unsupported scheme', new Error('unknown scheme'), /^unknown scheme$/],
    ['a port fetch blocks (Fetch "bad port")', new Error('bad port'), /^bad port: fetch refuses to connect to this port/],
  ])('%s', (_, cause, expected) => {
    expect(describeNetworkError(new TypeError('fetch failed', { cause }))).toMatch(expected);
  });
});
