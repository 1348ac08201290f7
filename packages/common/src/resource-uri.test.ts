/**
 * The one check of a resource URI (RFC 8707 §2), used by the AS's config, its /authorize and
 * /token, and `--resource URL`; and the list's form in the environment variable.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { formatResourceList, parseResourceList, resourceUriProblem } from './resource-uri.ts';

describe('RFC 8707 §2: a resource indicator', () => {
  it.each([
    ['MUST be an absolute URI', 'localhost:38101/mcp'.replace(/^/, '/'), /not an absolute URI/],
    ['MUST be an absolute URI (no scheme at all)', 'mcp.example.com/mcp', /not an absolute URI/],
    ['MUST NOT include a fragment component', 'http://localhost:38101/mcp#tools', /fragment/],
  ])('%s: %s is refused', (_rule, uri, problem) => {
    expect(resourceUriProblem(uri)).toMatch(problem);
  });

  it.each(['http://localhost:38101/mcp', 'https://mcp.example.com/', 'urn:mcp-auth-demo:other'])('%s is one', (uri) => {
    expect(resourceUriProblem(uri)).toBeUndefined();
  });
});

describe('the list in the environment variable', () => {
  it('round-trips, space-separated, without duplicates', () => {
    const list = ['http://localhost:38101/mcp', 'http://localhost:38102/mcp'];
    expect(formatResourceList([...list, list[0]!])).toBe(list.join(' '));
    expect(parseResourceList(formatResourceList(list))).toEqual(list);
    expect(parseResourceList(undefined)).toEqual([]);
  });

  it('a bad entry is a ConfigError naming it (the AS exits saying why)', () => {
    expect(() => parseResourceList('http://localhost:38101/mcp http://localhost:38102/mcp#x')).toThrow(ConfigError);
    expect(() => parseResourceList('http://localhost:38102/mcp#x')).toThrow(/38102\/mcp#x.*fragment/);
  });
});
