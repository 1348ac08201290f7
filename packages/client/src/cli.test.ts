/** `pnpm client`'s arguments, parsed without a process (the e2e test keeps one real spawn). */
import { describe, expect, it } from 'vitest';
import { parseClientArgs, reuseHint, UsageError } from './cli.ts';

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
    ['an MCP revision the client does not speak', ['--spec', '2025-06-18', MCP], /--spec must be one of 2025-11-25, 2026-07-28, auto/],
    ['--client-secret without --client-id', ['--client-secret', 's', MCP], /--client-secret needs --client-id/],
    ['an --issuer that is not an http(s) URL', ['--issuer', 'file:///x', MCP], /--issuer must be an https/],
    ['--browser with --redirect-uri', ['--browser', '--redirect-uri', 'http://localhost:1/cb', MCP], /--browser listens on a redirect URI of its own/],
    ['--report without --grade (the report is the server card)', ['--report', 'card.json', MCP], /--report needs --grade/],
  ])('refuses %s with a usage error', (_, argv, message) => {
    expect(() => parseClientArgs(argv)).toThrow(UsageError);
    expect(() => parseClientArgs(argv)).toThrow(message);
  });

  it.each([
    [[], '2025-11-25'],
    [['--spec', '2026-07-28'], '2026-07-28'],
    [['--spec', 'auto'], 'auto'],
  ])('speaks MCP %j → %s (2025-11-25 unless asked otherwise)', (flags, spec) => {
    expect(parseClientArgs([...flags, MCP])).toMatchObject({ spec });
  });

  it('--grade [--report FILE]: grade the server after the journey, and write its card', () => {
    expect(parseClientArgs(['--grade', '--report', 'card.json', MCP])).toMatchObject({ grade: true, report: 'card.json' });
    expect(parseClientArgs([MCP])).toMatchObject({ grade: false });
  });

  it('lists and calls the argument-free tools by default, with the demo client and CIMD', () => {
    const options = parseClientArgs([MCP]);
    expect(options).toMatchObject({
      help: false,
      serverUrl: MCP,
      calls: 'discover',
      json: false,
      browser: false,
      contrasts: true,
      registration: { clientMetadataUrl: 'http://localhost:3000/client-metadata.json', preferDynamicRegistration: false },
    });
  });

  it('--no-contrasts turns the attacks off (the conformance adapter: the suite grades the flow alone)', () => {
    expect(parseClientArgs(['--no-contrasts', MCP])).toMatchObject({ contrasts: false });
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

describe('reuseHint: after a DCR registration, the flags that reuse the client, bound to its issuer', () => {
  it('names the client_id and the issuer it belongs to', () => {
    expect(reuseHint(MCP, 'dcr_abc', 'http://localhost:9000')).toContain(
      `pnpm client ${MCP} --browser --client-id dcr_abc --issuer http://localhost:9000`,
    );
  });

  it('shell command injection: a client_id chosen by the AS is single-quoted, never run', () => {
    const hint = reuseHint(MCP, "x'; rm -rf ~; echo '", 'https://as.example');
    expect(hint).toContain(`--client-id 'x'\\''; rm -rf ~; echo '\\'''`);
  });

  it('terminal escape injection: a client_id with ESC is shown escaped (this line bypasses the printer)', () => {
    const hint = reuseHint(MCP, 'id\u001b]52;c;cGF3bmVk\u0007', 'https://as.example');
    expect(hint).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(hint.split('\n')).toHaveLength(5);
    expect(hint).toContain('\\x1b]52');
  });
});
