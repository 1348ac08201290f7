/**
 * The trusting fetch against a real TLS listener on an OS-chosen loopback port (its subject is
 * the handshake): the lab CA is trusted for loopback, a certificate of another CA is not, and
 * Node's own fetch, which was told nothing, refuses the lab certificate.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateLocalCa } from './local-ca.ts';
import { createLabTrustingFetch } from './trusting-fetch.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(cert: string, key: string, host = '127.0.0.1'): Promise<number> {
  const server = createServer({ cert, key }, (_req, res) => res.end('hello over TLS'));
  servers.push(server);
  server.listen(0, host);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

const labCa = () => loadOrCreateLocalCa({ dir: join(mkdtempSync(join(tmpdir(), 'local-ca-')), 'ca') });

describe('the lab-trusting fetch', () => {
  it('trusts the lab CA on 127.0.0.1 and [::1]; Node\'s own fetch does not', async () => {
    const ca = await labCa();
    const fetch = createLabTrustingFetch(ca.caPem);
    const v4 = await listen(ca.leafPem, ca.leafKeyPem);
    const v6 = await listen(ca.leafPem, ca.leafKeyPem, '::1');
    for (const url of [`https://127.0.0.1:${v4}/`, `https://[::1]:${v6}/`]) {
      expect(await (await fetch(url)).text()).toBe('hello over TLS');
    }
    // A web Request is taken apart for undici's fetch.
    expect((await fetch(new Request(`https://127.0.0.1:${v4}/`, { method: 'POST', body: 'x' }))).status).toBe(200);
    const refused = await globalThis.fetch(`https://127.0.0.1:${v4}/`).catch((error: Error) => error.cause);
    expect(String((refused as { code?: string }).code)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const [ours, theirs] = await Promise.all([labCa(), labCa()]);
    const port = await listen(theirs.leafPem, theirs.leafKeyPem);
    const error = await createLabTrustingFetch(ours.caPem)(`https://127.0.0.1:${port}/`).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error & { cause?: { code?: string } }).cause?.code)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER/);
  });

  it('sends a request to any other host to the fetch it was given (the default trust store)', async () => {
    const seen: string[] = [];
    const fetch = createLabTrustingFetch('unused', { otherwise: async (input) => {
      seen.push(String(input));
      return new Response('from elsewhere');
    } });
    expect(await (await fetch('https://example.com/mcp')).text()).toBe('from elsewhere');
    expect(seen).toEqual(['https://example.com/mcp']);
  });
});
