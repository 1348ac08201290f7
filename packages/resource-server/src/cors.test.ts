/**
 * CORS on the MCP endpoint: browser clients on an allowed origin can call it and read the
 * challenge; every other origin gets no CORS headers (and the Origin check's 403).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSetup, mcpRequest, rpc, TEST_RESOURCE } from '../testing/index.ts';

const INSPECTOR = 'http://localhost:6274';
let setup: Awaited<ReturnType<typeof createTestSetup>>;
beforeAll(async () => {
  setup = await createTestSetup({ allowedOrigins: [INSPECTOR] });
});

function preflight(origin: string) {
  return setup.app.request(TEST_RESOURCE, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, mcp-protocol-version' },
  });
}

describe('CORS for browser MCP clients', () => {
  it('answers an allowed origin’s preflight with the headers an MCP client sends', async () => {
    const res = await preflight(INSPECTOR);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(INSPECTOR);
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
    // 2025-11-25 clients send MCP-Protocol-Version and Mcp-Session-Id; 2026-07-28 clients also Mcp-Method and Mcp-Name.
    for (const header of ['authorization', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'mcp-method', 'mcp-name']) expect(allowed).toContain(header);
  });

  it('lets an allowed origin read the 401 challenge (WWW-Authenticate is exposed)', async () => {
    const res = await mcpRequest(setup.app, rpc.initialize(), { headers: { origin: INSPECTOR } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(INSPECTOR);
    expect(res.headers.get('access-control-expose-headers')!.toLowerCase()).toContain('www-authenticate');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('leaves a request without Origin (a program, not a browser) untouched: no CORS headers, the same challenge', async () => {
    const res = await mcpRequest(setup.app, rpc.initialize());
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-expose-headers')).toBeNull();
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('gives a foreign origin no CORS headers, so its browser withholds every answer', async () => {
    const res = await preflight('http://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
