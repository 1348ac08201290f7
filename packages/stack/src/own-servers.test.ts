/**
 * `--resource URL` on pnpm serve and pnpm demo: each value checked once (RFC 8707 §2), the
 * lab's own server refused, and the banner saying what the own server's metadata must say.
 */
import { describe, expect, it } from 'vitest';
import { formatOwnServers, resourcesFromFlag } from './own-servers.ts';

const LAB = 'http://localhost:8001/mcp';
const OWN = 'http://localhost:38101/mcp';

describe('resourcesFromFlag', () => {
  it('keeps each URL once, in order', () => {
    expect(resourcesFromFlag([OWN, 'http://localhost:38102/mcp', OWN], LAB)).toEqual([OWN, 'http://localhost:38102/mcp']);
    expect(resourcesFromFlag(undefined, LAB)).toEqual([]);
  });

  it.each([
    ['RFC 8707 §2: MUST NOT include a fragment', `${OWN}#x`, /fragment/],
    ['RFC 8707 §2: MUST be an absolute URI', 'localhost-38101/mcp', /not an absolute URI/],
    ['the lab\'s own MCP server is not an own server', LAB, /the lab's own MCP server/],
  ])('%s: refused with what to give instead', (_rule, value, message) => {
    expect(() => resourcesFromFlag([value], LAB)).toThrow(message);
  });
});

describe('the banner', () => {
  it('names the PRM to serve (resource and the lab\'s issuer), its URL, the challenge and the aud check', () => {
    const text = formatOwnServers([OWN], 'http://localhost:9000');
    expect(text).toContain(JSON.stringify({ resource: OWN, authorization_servers: ['http://localhost:9000'] }));
    expect(text).toContain('http://localhost:38101/.well-known/oauth-protected-resource/mcp');
    expect(text).toContain('resource_metadata="http://localhost:38101/.well-known/oauth-protected-resource/mcp"');
    expect(text).toContain(`every token's aud equals ${OWN}`);
    expect(text).toContain(`pnpm client ${OWN} --grade`);
  });
});
