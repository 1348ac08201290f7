/**
 * The RS over a real loopback socket (server-process's createHttpServer, as `pnpm serve` runs it): an
 * anonymous body is answered without being read and the client still sees the 401; a chunked
 * body over the bound from an authenticated caller gets its 413, not a reset.
 */
import { createHttpServer } from '@mcp-auth-demo/server-process';
import { createEmitter } from '@mcp-auth-demo/trace';
import { sendSlowly } from '@mcp-auth-demo/common/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from './request-body.ts';
import { createTestSetup } from '../testing/index.ts';

let setup: Awaited<ReturnType<typeof createTestSetup>>;
let server: Server;
let port: number;
let token: string;

beforeAll(async () => {
  setup = await createTestSetup();
  token = await setup.as.mint();
  server = createHttpServer({ fetch: setup.app.fetch, emit: createEmitter('resource-server', undefined) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes the head, then `bytes` of body (chunked framing when `chunked`), then reads the answer. */
const send = (head: string, bytes: number, chunked: boolean) => sendSlowly(port, head, { bytes, chunked, tickMs: 2 });

const head = (framing: string, authorization?: string) =>
  `POST /mcp HTTP/1.1\r\nHost: localhost:8001\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
  `${authorization ? `Authorization: ${authorization}\r\n` : ''}${framing}\r\n`;

describe('the RS over a real socket: early answers reach the client', () => {
  it('an anonymous 4 MB body: 401 with the challenge, no EPIPE or reset', async () => {
    const bytes = MAX_REQUEST_BODY_BYTES;
    const result = await send(head(`Content-Length: ${bytes}\r\n`), bytes, false);
    expect(result.error).toBeUndefined();
    expect(result.received).toMatch(/^HTTP\/1\.1 401 /);
    expect(result.received).toMatch(/\r\nwww-authenticate: Bearer scope="mcp:connect"/i);
  });

  it('a declared 6 MB body from an authenticated caller: 413 from the header, no EPIPE or reset', async () => {
    const bytes = 6 * 1024 * 1024;
    const result = await send(head(`Content-Length: ${bytes}\r\n`, `Bearer ${token}`), bytes, false);
    expect(result.error).toBeUndefined();
    expect(result.received).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('a chunked 6 MB body from an authenticated caller: read up to the bound, then 413, no EPIPE or reset', async () => {
    const result = await send(head('Transfer-Encoding: chunked\r\n', `Bearer ${token}`), 6 * 1024 * 1024, true);
    expect(result.error).toBeUndefined();
    expect(result.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(result.received).toMatch(/"code":-32000/);
  });
});
