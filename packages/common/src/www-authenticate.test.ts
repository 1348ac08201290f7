import { describe, expect, it } from 'vitest';
import { bearerChallenge, parseWwwAuthenticate } from './www-authenticate.ts';

describe('parseWwwAuthenticate (RFC 9110 §11.6.1)', () => {
  it.each([
    ['Bearer resource_metadata="http://x/.well-known/oauth-protected-resource/mcp", scope="mcp:connect"',
      { resource_metadata: 'http://x/.well-known/oauth-protected-resource/mcp', scope: 'mcp:connect' }],
    ['Bearer error="insufficient_scope", scope="a b", error_description="needs, commas"',
      { error: 'insufficient_scope', scope: 'a b', error_description: 'needs, commas' }],
    ['bearer Scope=token_value', { scope: 'token_value' }],
    ['Bearer error_description="a \\"quoted\\" word"', { error_description: 'a "quoted" word' }],
    ['Bearer', {}],
  ])('reads the Bearer parameters of %s', (header, params) => {
    expect(bearerChallenge(header)).toEqual(params);
  });

  it('separates several challenges and finds the Bearer one', () => {
    const header = 'Basic realm="a, b", Bearer scope="s1 s2", resource_metadata="http://m"';
    expect(parseWwwAuthenticate(header).map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(bearerChallenge(header)).toEqual({ scope: 's1 s2', resource_metadata: 'http://m' });
  });

  it('reads a token68 challenge without taking it for a parameter', () => {
    expect(parseWwwAuthenticate('Negotiate abc123==, Bearer scope="x"')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'bearer', params: { scope: 'x' } },
    ]);
  });

  it('gives undefined without a Bearer challenge', () => {
    expect(bearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(bearerChallenge(null)).toBeUndefined();
  });
});
