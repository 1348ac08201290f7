/**
 * Issue 26: the page of a run holds text from every party, and any of them can be hostile (a
 * client's client_name, a tool argument, a URL, an error_description). It must show that text
 * only escaped, and its Content-Security-Policy must admit no script but its own, by its hash.
 */
import { generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { clientUrls } from '@mcp-auth-demo/client';
import { formatHtmlPage, type TraceEvent } from '@mcp-auth-demo/trace';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createInProcessLab, LAB } from './support/in-process-lab.ts';

const CLIENT_NAME = '</script><img src=x onerror=alert(1)>';
const CITY = `"'><svg onload=alert(2)>`;
const URL_ATTACK = `${LAB.resource}?q="'><svg onload=alert(3)>`;
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A journey registered by DCR under a hostile client_name, calling a tool with a hostile argument. */
async function hostileRun(): Promise<TraceEvent[]> {
  const lab = createInProcessLab(await generateSigningKey());
  const { clientId, redirectUri } = clientUrls(LAB.clientBase);
  const result = await lab.run({
    registration: { clientMetadataUrl: clientId, redirectUri, clientName: CLIENT_NAME, preferDynamicRegistration: true },
    calls: [{ name: 'get_weather', arguments: { city: CITY } }],
  });
  expect(result.ok).toBe(true);
  // And a request to a hostile URL, answered with a hostile error_description and header.
  const at = lab.events.at(-1)!.at + 1;
  return [
    ...lab.events,
    { party: 'client', at, kind: 'http.request', id: 9999, method: 'GET', url: URL_ATTACK, headers: { 'X-Evil': CITY } },
    {
      party: 'client', at: at + 1, kind: 'http.response', id: 9999, status: 400,
      headers: { 'WWW-Authenticate': `Bearer error="invalid_request", error_description="${CLIENT_NAME}"` },
      body: JSON.stringify({ error: 'invalid_request', error_description: CLIENT_NAME }),
    },
  ];
}

let events: TraceEvent[];
let page: string;
beforeAll(async () => {
  events = await hostileRun();
  page = formatHtmlPage(events);
});

describe('hostile text in the page of a run', () => {
  it('the trace does carry the hostile text (so the checks below are not vacuous)', () => {
    const text = JSON.stringify(events);
    for (const hostile of [CLIENT_NAME, CITY, URL_ATTACK]) expect(text).toContain(JSON.stringify(hostile).slice(1, -1));
    expect(events.some((e) => e.kind === 'client.registered' && e.client_name === CLIENT_NAME)).toBe(true);
  });

  it.each([
    { rule: "a client_name closing the script and adding an image", hostile: CLIENT_NAME },
    { rule: 'a tool argument leaving an attribute for an SVG handler', hostile: CITY },
    { rule: 'a URL leaving an attribute for an SVG handler', hostile: URL_ATTACK },
  ])('$rule appears only escaped', ({ hostile }) => {
    expect(page).not.toContain(hostile);
    expect(page).toContain(escaped(hostile));
  });

  it('adds no element: one script (the page\'s own), no img, no svg but the drawings, no event handler attribute', () => {
    expect(page.match(/<script/gi)).toHaveLength(1);
    expect(page.match(/<\/script/gi)).toHaveLength(1);
    expect(page).not.toMatch(/<img/i);
    // Every `<` of wire text is escaped, so each real tag is the renderer's: none has a handler.
    const tags = [...page.matchAll(/<[a-z][^>]*>/gi)].map(([tag]) => tag);
    expect(tags.length).toBeGreaterThan(100);
    expect(tags.filter((tag) => /\son[a-z]+\s*=/i.test(tag))).toEqual([]);
    for (const [tag] of page.matchAll(/<svg[^>]*>/g)) expect(tag).toMatch(/^<svg class="(lanes|diagram)" viewBox=/);
  });

  it("declares a Content-Security-Policy of default-src 'none' that admits the inline script by its SHA-256 only", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1];
    expect(csp).toBeDefined();
    const directives = new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    const script = /<script>([\s\S]*)<\/script>/.exec(page)![1]!;
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(directives.get('script-src')).toEqual([`'sha256-${hash}'`]);
    // The policy is in <head>, before anything it governs.
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
    // No value of the run is in the script: the hash holds for every page.
    expect(script).not.toContain(LAB.resource);
  });
});
