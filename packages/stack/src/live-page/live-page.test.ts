/**
 * The live page of `pnpm serve` without a port (issue 26): each client's share of the servers'
 * events (journeys.ts), the page and its stream through `fetch` (live-page.ts), loopback names
 * only (DNS rebinding), and hostile client text escaped. The page in a real Chromium, against a
 * real `pnpm serve`: test/e2e/picture-live.test.ts.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import type { Card } from '@mcp-auth-demo/verdicts';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLiveJourneys } from './journeys.ts';
import { createLivePage, MAX_STREAMS } from './live-page.ts';
import { LIVE_SCRIPT } from './script.ts';

const A = 'http://localhost:3000/client-metadata.json';
const B = 'http://localhost:4000/other.json';
let clock = 0;
const ev = (party: TraceEvent['party'], kind: TraceEvent['kind'], fields: Record<string, unknown> = {}) =>
  ({ party, kind, at: (clock += 1), ...fields }) as TraceEvent;
const challenge = () => ev('resource-server', 'request.rejected', { method: 'POST', path: '/mcp', status: 401, error: '(no error code)', error_description: 'no token', www_authenticate: 'Bearer scope="mcp:connect"' });
const authorize = (client: string) => ev('authorization-server', 'authorization.received', { client_id: client, params: { client_id: client, scope: 'mcp:connect' } });
const accepted = (client: string) => ev('resource-server', 'token.accepted', { claims: { client_id: client, aud: 'http://localhost:8001/mcp', scope: 'mcp:connect' } });

describe('the live journeys: each servers\' event on one client\'s picture', () => {
  it('gives the discovery that carried no identity to the client whose authorization request came next', () => {
    const journeys = createLiveJourneys();
    const prm = ev('resource-server', 'prm.served', { path: '/.well-known/oauth-protected-resource/mcp' });
    const first = challenge();
    expect([journeys.push(first), journeys.push(prm)]).toEqual([false, false]);
    const auth = authorize(A);
    journeys.push(auth);
    expect(journeys.list().map((j) => [j.key, j.client_id, j.events])).toEqual([['c1', A, [first, prm, auth]]]);
  });

  it('puts an event without identity on the client last named by the same server, and background events on none', () => {
    const journeys = createLiveJourneys();
    journeys.push(authorize(A));
    journeys.push(accepted(A));
    journeys.push(authorize(B));
    const tool = ev('resource-server', 'tool.invoked', { name: 'whoami', sub: 'demo-user' });
    journeys.push(tool);
    expect(journeys.push(ev('authorization-server', 'security_event.pushed', {}))).toBe(false);
    const [a, b] = journeys.list();
    expect(a!.events.at(-1)).toBe(tool);
    expect(b!.events.map((e) => e.kind)).toEqual(['authorization.received']);
  });

  it('is bounded: the quietest client goes first, and each keeps its latest events', () => {
    const journeys = createLiveJourneys({ clients: 2, events: 3 });
    journeys.push(authorize(A));
    journeys.push(authorize(B));
    journeys.push(accepted(A));
    journeys.push(authorize('http://localhost:5000/c.json'));
    expect(journeys.list().map((j) => j.client_id)).toEqual([A, 'http://localhost:5000/c.json']);
    for (let i = 0; i < 5; i += 1) journeys.push(accepted(A));
    const a = journeys.list()[0]!;
    expect([a.events.length, a.dropped, a.version]).toEqual([3, 4, 7]);
  });
});

const HOSTS = ['127.0.0.1:7000', 'localhost:7000'];
const HOSTILE = '</script><img src=x onerror=alert(1)>\u202e';
const card = (client: string, name?: string): Card => ({
  client_id: client, ...(name && { client_name: name }),
  checks: [{ id: 'pkce-s256', verdict: 'pass', evidence: `code_challenge_method=S256 ${HOSTILE}`, rule: 'S256' }],
});

function page(cards: () => Card[] = () => []) {
  return createLivePage({ mcpUrl: 'http://localhost:8001/mcp', cards, hosts: () => HOSTS, burstMs: 5 });
}
const get = (path: string, headers: Record<string, string> = { host: HOSTS[0]! }, method = 'GET') =>
  new Request(`http://127.0.0.1:7000${path}`, { method, headers });

/** Reads server-sent `clients` messages from a stream until `until` says enough. */
async function messages(response: Response, until: (all: { order: string[]; blocks: Record<string, string> }[]) => boolean) {
  const reader = response.body!.getReader();
  const all: { order: string[]; blocks: Record<string, string> }[] = [];
  let text = '';
  while (!until(all)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
      const data = /^data: (.*)$/m.exec(text.slice(0, end))?.[1];
      if (data) all.push(JSON.parse(data));
      text = text.slice(end + 2);
    }
  }
  await reader.cancel();
  return all;
}

describe('the live page', () => {
  it.each([
    ['a rebinding name', { host: 'attacker.example:7000' }],
    ['another port', { host: '127.0.0.1:7001' }],
    ['no Host at all', {}],
  ])('refuses %s with 403 (DNS rebinding)', async (_, headers) => {
    const response = page().fetch(get('/', headers as Record<string, string>));
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('<html');
  });

  it('refuses the stream to another origin, and anything but GET', () => {
    expect(page().fetch(get('/events', { host: HOSTS[0]!, origin: 'http://attacker.example' })).status).toBe(403);
    const post = page().fetch(get('/', { host: HOSTS[1]! }, 'POST'));
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect(page().fetch(get('/nothing')).status).toBe(404);
  });

  it("serves a page whose Content-Security-Policy admits its one script by hash and connects only to its own origin", async () => {
    const response = page().fetch(get('/'));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(LIVE_SCRIPT).digest('base64')}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain(`<script>${LIVE_SCRIPT}</script>`);
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('streams every block on connecting, then only the blocks that changed, with the card beside the picture', async () => {
    const cards: Card[] = [];
    const live = page(() => cards);
    const stream = live.fetch(get('/events'));
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const pending = messages(stream, (all) => all.length >= 3);
    live.push(challenge());
    live.push(authorize(A));
    await new Promise((r) => setTimeout(r, 30));
    cards.push(card(A, 'Demo'));
    live.push(authorize(B));
    const [first, second, third] = await pending;
    expect(first).toMatchObject({ order: ['no-client'] });
    expect(second!.order).toEqual(['c1']);
    expect(second!.blocks.c1).toContain('POST /mcp → 401');
    expect(second!.blocks.c1).toContain('No card yet');
    expect(third!.order).toEqual(['c1', 'c2']);
    expect(third!.blocks.c1).toContain('data-check="pkce-s256"');
    expect(Object.keys(third!.blocks)).toEqual(['c1', 'c2']);
    live.close();
  });

  it('shows hostile client text only escaped, bidi overrides made visible, and ids from its own keys', async () => {
    const client = `http://localhost:3000/${HOSTILE}`;
    const live = page(() => [card(client, HOSTILE)]);
    live.push(authorize(client));
    const [message] = await messages(live.fetch(get('/events')), (all) => all.length >= 1);
    const block = message!.blocks.c1!;
    expect(block).not.toContain('<img');
    expect(block).not.toContain('</script>');
    expect(block).not.toContain('\u202e');
    expect(block).toContain('&lt;img src=x onerror=alert(1)&gt;\\u202e');
    expect([...block.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]).every((id) => /^(d-)?c1(-[as]\d+)?$/.test(id!))).toBe(true);
    live.close();
  });

  it(`keeps at most ${MAX_STREAMS} streams open`, () => {
    const live = page();
    const streams = Array.from({ length: MAX_STREAMS }, () => live.fetch(get('/events')));
    expect(streams.every((s) => s.status === 200)).toBe(true);
    expect(live.fetch(get('/events')).status).toBe(503);
    live.close();
  });
});
