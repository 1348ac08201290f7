/**
 * A request that declares itself the lab client's deliberate attack (CONTRAST_HEADER: a contrast,
 * a `pnpm client --grade` probe) is decided exactly like any other, and its token events say it
 * was declared, so the verdicts of `pnpm serve` do not grade the client for it (mcp-endpoint.ts).
 */
import { CONTRAST_HEADER } from '@mcp-auth-demo/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSetup, mcpRequest, rpc, TEST_RESOURCE } from '../testing/index.ts';

let setup: Awaited<ReturnType<typeof createTestSetup>>;
beforeAll(async () => {
  setup = await createTestSetup();
});

describe('declared probes', () => {
  it.each([
    ['declared', { [CONTRAST_HEADER]: 'grade:audience' }, { contrast: 'grade:audience' }],
    ['not declared', {}, {}],
  ])('a token for another audience, %s: the same 401 invalid_token; the event carries the declaration only when declared', async (_name, headers, extra) => {
    setup.events.length = 0;
    const token = await setup.as.mint({ claims: { aud: 'http://localhost:38102/mcp' } });
    const res = await mcpRequest(setup.app, rpc.initialize(), { token, headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const [event] = setup.eventsOf('token.rejected');
    expect(event).toMatchObject({ reason: expect.stringMatching(/aud/), ...extra });
    if (!('contrast' in extra)) expect(event).not.toHaveProperty('contrast');
  });

  it('a token in the query string, declared: refused as ever, token.misplaced says so', async () => {
    setup.events.length = 0;
    const token = await setup.as.mint();
    const res = await mcpRequest(setup.app, rpc.initialize(), { url: `${TEST_RESOURCE}?access_token=${token}`, headers: { [CONTRAST_HEADER]: 'grade:query-token' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    expect(setup.eventsOf('token.misplaced')[0]).toMatchObject({ via: 'query', contrast: 'grade:query-token' });
  });
});
