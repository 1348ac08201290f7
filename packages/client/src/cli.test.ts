/** `pnpm client`'s arguments, parsed without a process (the e2e test keeps one real spawn). */
import { describe, expect, it } from 'vitest';
import { parseClientArgs, UsageError } from './cli.ts';

const MCP = 'http://localhost:8001/mcp';

describe('parseClientArgs', () => {
  it.each([
    ['no URL', [], /URL is missing or not a URL/],
    ['a URL that is not one', ['not a url'], /URL is missing or not a URL/],
    ['a URL without a scheme (localhost:1/mcp parses with the scheme "localhost:")', ['localhost:1/mcp'], /did you mean http:\/\/localhost:1\/mcp/],
    ['a URL with a scheme other than http(s)', ['file:///etc/passwd'], /must start with https:\/\/ or http:\/\//],
    ['--args without --call', ['--args', '{}', MCP], /--args needs --call/],
    ['--args that are not JSON', ['--call', 'x', '--args', '{', MCP], /--args must be JSON$/],
    ['--args that are a JSON array, not an object', ['--call', 'x', '--args', '[1]', MCP], /--args must be a JSON object/],
    ['an unknown registration', ['--registration', 'magic', MCP], /--registration must be cimd or dcr/],
    ['--client-secret without --client-id', ['--client-secret', 's', MCP], /--client-secret needs --client-id/],
    ['--browser with --redirect-uri', ['--browser', '--redirect-uri', 'http://localhost:1/cb', MCP], /--browser listens on a redirect URI of its own/],
  ])('refuses %s with a usage error', (_, argv, message) => {
    expect(() => parseClientArgs(argv)).toThrow(UsageError);
    expect(() => parseClientArgs(argv)).toThrow(message);
  });

  it('lists and calls the argument-free tools by default, with the demo client and CIMD', () => {
    const options = parseClientArgs([MCP]);
    expect(options).toMatchObject({
      help: false,
      serverUrl: MCP,
      calls: 'discover',
      json: false,
      browser: false,
      registration: { clientMetadataUrl: 'http://localhost:3000/client-metadata.json', preferDynamicRegistration: false },
    });
  });

  it('maps --call with --args, a pre-registered client and DCR onto the journey options', () => {
    const options = parseClientArgs([
      '--call', 'get_weather', '--args', '{"city":"Oslo"}',
      '--client-id', 'abc', '--client-secret', 's3cret', '--registration', 'dcr', '--json', MCP,
    ]);
    expect(options).toMatchObject({
      calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }],
      json: true,
      registration: { clientId: 'abc', clientSecret: 's3cret', preferDynamicRegistration: true },
    });
  });

  it('answers --help without needing a URL', () => {
    expect(parseClientArgs(['--help'])).toEqual({ help: true });
  });
});
