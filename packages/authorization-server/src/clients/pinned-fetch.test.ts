/**
 * DNS rebinding: the CIMD fetch connects to the address the SSRF check vetted, never to a fresh
 * DNS answer. These tests use real sockets on 127.0.0.1 (an ephemeral port) and host names that
 * DNS cannot answer (`.invalid`, RFC 6761 §6.4), so a success proves no second lookup happened.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizationServer } from '../app.ts';
import { generateSigningKey } from '../tokens/keys.ts';
import { fetchPinned } from './pinned-fetch.ts';

let server: Server;
let port: number;
const hostsSeen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hostsSeen.push(req.headers.host ?? '');
    if (req.url === '/moved') {
      res.writeHead(302, { Location: 'http://10.0.0.1/' }).end();
      return;
    }
    const clientId = `http://${req.headers.host}${req.url}`;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ client_id: clientId, client_name: 'Pinned', redirect_uris: ['http://localhost:3000/callback'] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetchPinned', () => {
  it('connects to the vetted address without asking DNS, keeping the Host header', async () => {
    const response = await fetchPinned(`http://metadata.invalid:${port}/doc.json`, {}, { address: '127.0.0.1', family: 4 });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ client_name: 'Pinned' });
    expect(hostsSeen.at(-1)).toBe(`metadata.invalid:${port}`);
  });

  it('hands a redirect back as it is, never following it (CIMD §4)', async () => {
    const response = await fetchPinned(`http://metadata.invalid:${port}/moved`, { redirect: 'manual' }, { address: '127.0.0.1', family: 4 });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://10.0.0.1/');
  });
});

describe('the AS fetches a client metadata document at the address it checked', () => {
  it('uses the vetted address by default: a name only the AS resolver knows still works', async () => {
    const as = createAuthorizationServer({
      issuer: 'http://localhost:9000',
      resources: ['http://localhost:8001/mcp'],
      signingKey: await generateSigningKey(),
      dangerouslyAllowLoopbackHttp: true,
      // The SSRF check's resolver: this name is loopback. DNS itself cannot resolve it.
      resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const clientId = `http://pinned.localhost:${port}/client.json`;
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://localhost:3000/callback',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      resource: 'http://localhost:8001/mcp',
      state: 's',
    });
    const response = await as.request(`http://localhost:9000/authorize?${query}`);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location')!).searchParams.has('code')).toBe(true);
    expect(hostsSeen.at(-1)).toBe(`pinned.localhost:${port}`);
  });
});
