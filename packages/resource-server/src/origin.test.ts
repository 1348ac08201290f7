/**
 * MCP transports, Streamable HTTP, "Security Warning": servers MUST validate `Origin`; a present
 * and invalid one gets 403. Absent (non-browser clients) and allowed origins pass.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSetup, mcpRequest, rpc, TEST_PRM_URL } from '../testing/index.ts';

let setup: Awaited<ReturnType<typeof createTestSetup>>;
let token: string;
beforeAll(async () => {
  setup = await createTestSetup({ allowedOrigins: ['http://localhost:6274'] });
  token = await setup.as.mint();
});

describe('Origin validation on the MCP endpoint (DNS rebinding)', () => {
  it.each([
    ['a rebound foreign site', 'http://evil.example:8001'],
    ['another loopback port that is not allowed', 'http://localhost:3000'],
    ['the same host under another scheme', 'https://localhost:8001'],
    ['the opaque origin "null"', 'null'],
  ])('%s (%s) is refused with 403 before authentication', async (_name, origin) => {
    setup.events.length = 0;
    const res = await mcpRequest(setup.app, rpc.initialize(), { token, headers: { origin } });

    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    expect(setup.eventsOf('origin.rejected')).toEqual([expect.objectContaining({ origin })]);
    expect(setup.eventsOf('token.accepted')).toEqual([]);
  });

  it.each([
    ['absent (a non-browser client)', undefined],
    ['the resource’s own origin', 'http://localhost:8001'],
    ['an origin added by allowedOrigins', 'http://localhost:6274'],
  ])('%s is allowed', async (_name, origin) => {
    const res = await mcpRequest(setup.app, rpc.initialize(), { token, headers: origin ? { origin } : {} });
    expect(res.status).toBe(200);
  });

  it('by default only the resource’s own origin is allowed', async () => {
    const defaults = await createTestSetup();
    const allowed = await mcpRequest(defaults.app, rpc.initialize(), { token: await defaults.as.mint(), headers: { origin: 'http://localhost:8001' } });
    const refused = await mcpRequest(defaults.app, rpc.initialize(), { token: await defaults.as.mint(), headers: { origin: 'http://localhost:6274' } });
    expect([allowed.status, refused.status]).toEqual([200, 403]);
  });

  it('the public metadata document is readable from any origin (CORS)', async () => {
    const res = await setup.app.request(TEST_PRM_URL, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
