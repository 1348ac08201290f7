/**
 * The HTTP layer over a real loopback socket: an early answer (before the body is read) reaches
 * a client that is still sending (no EPIPE, no reset) and closes the connection; CONNECT gets a
 * 405 instead of a dropped connection (issue 8 items 14 and 15).
 */
import { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSlowly } from '@mcp-auth-demo/common/testing';
import { createHttpServer, HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './http-server.ts';
import { createEmitter, type TraceEvent } from '@mcp-auth-demo/trace';

const LIMIT = 4 * 1024 * 1024;
const events: TraceEvent[] = [];
let server: Server;
let port: number;
let bodiesRead = 0;

beforeAll(async () => {
  const app = new Hono();
  // An early answer from the headers alone, as the RS's 413 and anonymous 401 are.
  app.post('/upload', (c) => {
    if (Number(c.req.header('content-length')) > LIMIT) return c.json({ error: 'payload_too_large' }, 413);
    if (!c.req.header('authorization')) return c.json({ error: 'unauthorized' }, 401);
    return c.text('never');
  });
  app.post('/echo', async (c) => {
    bodiesRead += 1;
    return c.text(`read ${(await c.req.arrayBuffer()).byteLength}`);
  });
  app.get('/ping', (c) => c.text('pong'));
  server = createHttpServer({ fetch: app.fetch, emit: createEmitter('resource-server', (event) => events.push(event)) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes the head, then `bodyBytes` of body (then `then`, else the end), slowly: see sendSlowly. */
const exchange = (head: string, bodyBytes: number, then = '') => sendSlowly(port, head, { bytes: bodyBytes, then });

const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
const post = (path: string, length: number, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe('early answers: the client that is still sending its body gets the answer, not a reset', () => {
  it.each([
    ['a 413 for a 6 MB body (over the 4 MiB bound)', 6 * 1024 * 1024, '', 413],
    ['an anonymous 401 for a 3 MB body', 3 * 1024 * 1024, '', 401],
  ])('%s, sent slowly: answered with Connection: close, no EPIPE/ECONNRESET', async (_name, bytes, extra, status) => {
    const result = await exchange(post('/upload', bytes, extra), bytes);
    expect(result.error).toBeUndefined();
    expect(statuses(result.received)).toEqual([status]);
    expect(result.received).toMatch(/\r\nconnection: close\r\n/i);
    expect(result.endedByServer).toBe(true);
  });

  it('a second request pipelined on the same socket after the 413 is not silently lost: the server closes cleanly', async () => {
    const bytes = 5 * 1024 * 1024;
    const result = await exchange(post('/upload', bytes), bytes, 'GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(result.error).toBeUndefined();
    // The 413 said Connection: close, so the client knows to send the GET on a new connection.
    expect(statuses(result.received)).toEqual([413]);
    expect(result.endedByServer).toBe(true);
  });

  it('a fresh client (fetch) sees the 413, then its next request is served', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(6 * 1024 * 1024, 0x20) });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    await res.text();
    expect(await (await fetch(`http://127.0.0.1:${port}/ping`)).text()).toBe('pong');
  });

  it('a body the app reads keeps the connection alive (no Connection: close where nothing was cut short)', async () => {
    const before = bodiesRead;
    const result = await exchange(post('/echo', 1000), 1000, 'GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(statuses(result.received)).toEqual([200, 200]);
    expect(result.received).toContain('read 1000');
    expect(result.received.split('\r\n\r\n')[0]).not.toMatch(/connection: close/i);
    expect(bodiesRead).toBe(before + 1);
  });
});

describe('CONNECT (RFC 9110 §9.3.6): these servers are not proxies', () => {
  it('is answered 405 with Allow and a JSON error, not a dropped connection, and traced', async () => {
    events.length = 0;
    const result = await exchange('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 0);
    expect(result.error).toBeUndefined();
    expect(statuses(result.received)).toEqual([405]);
    const [head = '', body = ''] = result.received.split('\r\n\r\n');
    expect(head).toMatch(/\r\nallow: GET, HEAD, POST, OPTIONS/i);
    expect(head).toMatch(/\r\nconnection: close/i);
    expect(JSON.parse(body)).toMatchObject({ error: 'method_not_allowed' });
    expect(events).toEqual([expect.objectContaining({ kind: 'request.rejected', method: 'CONNECT', path: 'example.com:443', status: 405, error: 'method_not_allowed' })]);
  });

  it('the server still answers other requests afterwards', async () => {
    await exchange('CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n', 0);
    expect(await (await fetch(`http://127.0.0.1:${port}/ping`)).text()).toBe('pong');
  });
});

describe('slow clients (slowloris): bounded, and never in the way of the others', () => {
  it('200 connections that trickle their headers get 408 and are closed, while a normal request is served', async () => {
    const app = new Hono().get('/ping', (c) => c.text('pong'));
    const slowServer = createHttpServer({ fetch: app.fetch, emit: createEmitter('resource-server', () => {}), slowClientBounds: { headersMs: 600, requestMs: 1_200, checkEveryMs: 100 } });
    await new Promise<void>((resolve) => slowServer.listen(0, '127.0.0.1', resolve));
    const slowPort = (slowServer.address() as AddressInfo).port;
    const { connect } = await import('node:net');
    try {
      const trickles = Array.from({ length: 200 }, () => new Promise<string>((resolve) => {
        const socket = connect(slowPort, '127.0.0.1');
        let received = '';
        socket.write('GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        // One more header line every 100 ms, never the blank line that ends the headers.
        const drip = setInterval(() => socket.write(`X-Slow-${Math.random().toString(36).slice(2)}: 1\r\n`), 100);
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('error', () => {});
        socket.on('close', () => {
          clearInterval(drip);
          resolve(received);
        });
      }));
      // While they hang, a normal client is answered.
      const normal = await fetch(`http://127.0.0.1:${slowPort}/ping`);
      expect(await normal.text()).toBe('pong');
      const answers = await Promise.all(trickles);
      expect(answers.every((a) => a.startsWith('HTTP/1.1 408'))).toBe(true);
    } finally {
      slowServer.closeAllConnections();
      await new Promise((resolve) => slowServer.close(resolve));
    }
  }, 20_000);
});

describe('the bounds every party\'s server runs with', () => {
  it('waits HEADERS_TIMEOUT_MS for headers and REQUEST_TIMEOUT_MS for a request, checked every second (Node: 60 s, 300 s, 30 s)', () => {
    const plain = createHttpServer({ fetch: () => new Response('ok'), emit: createEmitter('resource-server', () => {}) });
    expect([plain.headersTimeout, plain.requestTimeout]).toEqual([HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS]);
    expect(HEADERS_TIMEOUT_MS).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it('headers over 16 KB get 431 from Node, before any app sees them, and the server goes on', async () => {
    const { connect } = await import('node:net');
    const received = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('error', () => {});
      socket.on('close', () => resolve(text));
      socket.write(`GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ${'a'.repeat(20_000)}\r\n\r\n`);
    });
    expect(received).toMatch(/^HTTP\/1\.1 431 /);
    expect(await (await fetch(`http://127.0.0.1:${port}/ping`)).text()).toBe('pong');
  });
});

