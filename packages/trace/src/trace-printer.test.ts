import { describe, expect, it } from 'vitest';
import type { TraceEvent } from './trace.ts';
import { formatEventLine, parseEventLine } from './trace.ts';
import { formatTrace, shouldUseColor } from './trace-printer.ts';

const events: TraceEvent[] = [
  // Deliberately out of order: the printer orders by the monotonic `at`.
  { kind: 'request.rejected', party: 'resource-server', at: 30, method: 'POST', path: '/mcp', status: 401, error: 'invalid_token', error_description: 'No access token.' },
  { kind: 'step.started', party: 'client', at: 10, step: 1, title: 'Discovery' },
  { kind: 'http.request', party: 'client', at: 20, id: 1, method: 'POST', url: 'http://localhost:8001/mcp', headers: {}, body: 'JSON-RPC initialize' },
  { kind: 'http.response', party: 'client', at: 40, id: 1, status: 401, headers: { 'WWW-Authenticate': 'Bearer scope="mcp:connect"' } },
  { kind: 'challenge.parsed', party: 'client', at: 50, status: 401, scope: 'mcp:connect', spec: 'RFC 6750 §3' },
  { kind: 'step.finished', party: 'client', at: 60, step: 1, title: 'Discovery', ms: 12 },
  { kind: 'journey.succeeded', party: 'client', at: 70, ms: 12, steps: [{ step: 1, title: 'Discovery', ms: 12 }] },
];

describe('formatTrace', () => {
  it('numbers steps, nests server decisions under the request that caused them, cites the spec', () => {
    expect(formatTrace(events, { color: false }).split('\n')).toEqual([
      '',
      '[1] Discovery',
      '    → POST http://localhost:8001/mcp  JSON-RPC initialize',
      '        RS  POST /mcp → 401 invalid_token: No access token.',
      '    ← 401',
      '        WWW-Authenticate: Bearer scope="mcp:connect"',
      '    challenge (401): scope="mcp:connect"  (RFC 6750 §3)',
      '    done in 12 ms',
      '',
      '✔ Journey complete: 1 step in 12 ms ([1] 12 ms)',
    ]);
  });

  it('colours only when asked to', () => {
    expect(formatTrace(events, { color: false })).not.toContain('\u001b[');
    expect(formatTrace(events, { color: true })).toContain('\u001b[');
  });

  it('says where a failed journey stopped, what was expected and what came back', () => {
    const text = formatTrace(
      [{ kind: 'journey.failed', party: 'client', at: 1, step: 2, title: 'Authorization', expected: 'a redirect', received: 'HTTP 500' }],
      { color: false },
    );
    expect(text).toContain('✘ Journey failed at step [2] Authorization');
    expect(text).toContain('expected: a redirect');
    expect(text).toContain('received: HTTP 500');
  });
});

describe('shouldUseColor', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
  ])('stream %o with env %o → %s', (stream, env, expected) => {
    expect(shouldUseColor(stream, env)).toBe(expected);
  });
});

describe('event lines (server processes → orchestrator)', () => {
  it('round-trips an event and ignores anything else a process prints', () => {
    const line = formatEventLine(events[0]!);
    expect(parseEventLine(line.trimEnd())).toEqual(events[0]);
    expect(parseEventLine('Debugger attached.')).toBeUndefined();
    expect(parseEventLine('{"trace": not json')).toBeUndefined();
  });
});

describe('formatTrace neutralises what other parties chose (issue 8 item 1)', () => {
  const osc52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';
  const clear = '\u001b[2J\u001b[H';
  const hostile: TraceEvent[] = [
    { kind: 'request.rejected', party: 'authorization-server', at: 1, method: 'POST', path: '/token', status: 400, error: 'unsupported_grant_type', error_description: `grant_type "${osc52}" is not supported` },
    { kind: 'client.registered', party: 'authorization-server', at: 2, client_id: 'c1', client_name: `${clear}✔ Journey complete`, redirect_uris: ['https://x.example/cb'] },
    { kind: 'http.request', party: 'client', at: 3, id: 1, method: 'GET', url: `http://localhost:1/a?x=${encodeURIComponent(osc52)}`, headers: {} },
    { kind: 'http.response', party: 'client', at: 4, id: 1, status: 400, headers: { 'WWW-Authenticate': `Bearer error="${clear}"` }, body: `error=x: a\r✔ fake` },
    { kind: 'tool.result', party: 'client', at: 5, name: 'whoami', text: `line one\nline two ${osc52}`, isError: false },
    { kind: 'step.started', party: 'client', at: 6, step: 1, title: `Call evil\u202eexe.txt` },
    { kind: 'token.rejected', party: 'resource-server', at: 7, reason: 'x', spec: `RFC 6750${clear}` },
  ];

  it.each([true, false])('no control character survives (color %s); each is shown escaped', (color) => {
    const text = formatTrace(hostile, { color });
    // The only controls left are the printer's own newlines and, with colour, its own SGR codes.
    const withoutOwnColour = text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(withoutOwnColour).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(withoutOwnColour).toContain('grant_type "\\x1b]52;c;cm0gLXJmIH4=\\x07"');
    expect(withoutOwnColour).toContain('\\x1b[2J\\x1b[H✔ Journey complete');
    expect(withoutOwnColour).toContain('error=x: a\\x0d✔ fake');
    expect(withoutOwnColour).toContain('Call evil\\u202eexe.txt');
    expect(withoutOwnColour).toContain('x=\\x1b]52;c;cm0gLXJmIH4=\\x07');
  });

  it('keeps a multi-line tool result on separate lines, each behind a gutter so a forged line cannot pass for a printed one', () => {
    const lines = formatTrace(hostile, { color: false }).split('\n');
    expect(lines).toContain('      │ line one');
    expect(lines).toContain('      │ line two \\x1b]52;c;cm0gLXJmIH4=\\x07');
  });

  it('prints a kind it does not know with its fields instead of dropping it', () => {
    const text = formatTrace([{ kind: 'future.thing', party: 'resource-server', at: 1, detail: `a${clear}` } as unknown as TraceEvent], { color: false });
    expect(text).toContain('future.thing detail=a\\x1b[2J\\x1b[H');
  });
});
