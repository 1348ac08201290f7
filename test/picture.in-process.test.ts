/**
 * Issue 26: the page of a run (`pnpm demo --html`, packages/trace/src/picture-*.ts). One real
 * journey of the demo's shape (the real apps in-process, the contrasts included) gives the
 * events; the page drawn from them is read back as a reader would: the cast, the six steps, the
 * two channels, the refusals, an arrow's exchange and decisions, and no token shown whole.
 */
import { generateSigningKey } from '@mcp-auth-demo/authorization-server';
import type { Fetch } from '@mcp-auth-demo/client';
import { formatHtmlPage, type TraceEvent } from '@mcp-auth-demo/trace';
import { beforeAll, describe, expect, it } from 'vitest';
import { createInProcessLab, LAB } from './support/in-process-lab.ts';
import { arrowsOf, arrowsOfBoth, panelOf, stepTitlesOf } from './support/picture-page.ts';

const OTHER = 'http://localhost:8001/other/mcp';

/** The demo's journey with its contrasts; `tokens`: every access token the AS issued, whole. */
async function demoRun(): Promise<{ events: TraceEvent[]; tokens: string[] }> {
  const lab = createInProcessLab(await generateSigningKey(), { otherResource: OTHER });
  const tokens: string[] = [];
  const fetch: Fetch = async (input, init) => {
    const response = await lab.fetch(input, init);
    if (String(input instanceof Request ? input.url : input).endsWith('/token') && response.ok) {
      tokens.push(((await response.clone().json()) as { access_token: string }).access_token);
    }
    return response;
  };
  const result = await lab.run({ fetch, contrasts: { decoys: true, otherResource: OTHER } });
  expect(result.ok).toBe(true);
  return { events: lab.events, tokens };
}

let events: TraceEvent[];
let tokens: string[];
let page: string;
beforeAll(async () => {
  ({ events, tokens } = await demoRun());
  page = formatHtmlPage(events);
});

describe('the page of a run', () => {
  it('draws the same arrows as --diagram: from and to the same lanes, in the same order, saying the same', () => {
    const { picture, diagram } = arrowsOfBoth(events);
    expect(picture.length).toBeGreaterThan(20);
    expect(picture).toEqual(diagram);
  });

  it('names the cast: a lane each for the user and browser, the client, its host, the AS and the MCP server', () => {
    const lanes = /<svg class="lanes"[^>]*aria-label="the lanes: ([^"]*)"/.exec(page)?.[1];
    expect(lanes).toBe('user + browser, client, client-host, authorization server, MCP server');
    const cast = /<section class="cast"[\s\S]*?<\/section>/.exec(page)![0];
    for (const name of ['user + browser', 'client', 'client-host', 'authorization server', 'MCP server']) {
      expect(cast).toContain(`<b>${name}</b>`);
    }
    expect(cast).toContain(`(${LAB.resource})`);
  });

  it('has the six steps as sections, each with its why, and a link to each', () => {
    const steps = stepTitlesOf(page).filter((t) => /^\[\d\]/.test(t));
    expect(steps).toEqual([
      expect.stringMatching(/^\[1\] Discovery/),
      expect.stringMatching(/^\[2\] Authorization/),
      expect.stringMatching(/^\[3\] Call whoami/),
      expect.stringMatching(/^\[4\] Call get_weather/),
      expect.stringMatching(/^\[5\] Step-up/),
      expect.stringMatching(/^\[6\] Retry get_weather/),
    ]);
    const nav = /<nav class="steps"[\s\S]*?<\/nav>/.exec(page)![0];
    for (const title of steps) expect(nav).toContain(`">${title}</a></li>`);
    const sections = [...page.matchAll(/<section class="step" id="(s\d+)"[^>]*><h2[^>]*>\[\d\][^<]*<\/h2>(<p class="why">)?/g)];
    expect(sections).toHaveLength(6);
    for (const [, id, why] of sections) {
      expect(page).toContain(`<a href="#${id}">`);
      // Step [4] is the second call: its why was said under [3] (one sentence per kind of step).
      if (id !== sections[3]![1]) expect(why).toBeDefined();
    }
  });

  it('draws the front channel (the authorization request, the redirect back) apart from the back channel', () => {
    const arrows = arrowsOf(page);
    const authorize = arrows.filter((a) => a.label.includes('GET /authorize'));
    const callback = arrows.filter((a) => a.label.includes('redirect to the callback'));
    const token = arrows.filter((a) => a.label.includes('POST /token'));
    expect(authorize.length).toBeGreaterThan(0);
    expect(callback.length).toBeGreaterThan(0);
    for (const a of [...authorize, ...callback]) {
      expect(a.classes).toContain('front');
      expect(a.label).toMatch(/^user \+ browser to .*\(front channel, through the browser\)$/);
    }
    expect(token.length).toBeGreaterThan(0);
    for (const a of token) {
      expect(a.classes).toContain('back');
      expect(a.label).toMatch(/^client to authorization server: .*\(back channel, a direct request\)$/);
    }
    // …and the style tells them apart: the front channel dashed, in its own colour.
    expect(page).toMatch(/\.arrow\.front line\{stroke:var\(--front\);stroke-dasharray:/);
  });

  it('marks the refusals: the 401 and 403 answers, and each contrast the servers refused', () => {
    const arrows = arrowsOf(page);
    const byStatus = (status: number) => arrows.filter((a) => a.label.includes(`→ ${status}`));
    expect(byStatus(401).length).toBeGreaterThan(0);
    expect(byStatus(403).length).toBeGreaterThan(0);
    for (const a of [...byStatus(401), ...byStatus(403), ...byStatus(400)]) expect(a.classes).toContain('refused');
    // Not vacuous: a 200 is not marked.
    expect(byStatus(200).length).toBeGreaterThan(0);
    for (const a of byStatus(200)) expect(a.classes).not.toContain('refused');

    const refusedNotes = [...page.matchAll(/<g class="note refused">[\s\S]*?<\/g><text>([\s\S]*?)<\/text><\/g>/g)];
    const refusedBy = events.filter((e) => e.kind === 'contrast.refused');
    expect(refusedBy.map((e) => e.contrast)).toEqual(['redirect_uri', 'pkce', 'audience']);
    expect(refusedNotes).toHaveLength(refusedBy.length);
    for (const [note] of refusedNotes) expect(note).toContain('<g class="no-entry" aria-hidden="true">');
  });

  it('draws the refusal sign, never the ⛔ emoji (an empty box in a browser without an emoji font)', () => {
    expect(page).not.toContain('⛔');
    expect(page).toContain('<i class="no-entry" aria-hidden="true"></i>');
  });

  it("shows an arrow's exchange (method, URL, status, headers) and the decisions it caused, with their rule and section", () => {
    const token = arrowsOf(page).find((a) => a.label.includes('POST /token → 200'))!;
    const panel = panelOf(page, token.id);
    expect(panel).toMatch(/<dt>method<\/dt><dd>POST<\/dd>/);
    expect(panel).toContain(`<dt>URL</dt><dd>${LAB.issuer}/token</dd>`);
    expect(panel).toContain('<dt>status</dt><dd>200</dd>');
    expect(panel).toContain('<code>pkce.verified</code>');
    expect(panel).toContain('<code>token.issued</code>');
    expect(panel).toMatch(/<span class="spec">[^<]*RFC 7636/);
    // The decoded token issued, beside the decision: its claims, never the token.
    expect(panel).toContain('<caption>decoded access token</caption>');
    expect(panel).toContain(`<tr><th>aud</th><td>${LAB.resource}</td></tr>`);

    const challenge = arrowsOf(page).find((a) => a.label.includes('→ 401'))!;
    expect(panelOf(page, challenge.id)).toMatch(/<tr><th>WWW-Authenticate<\/th><td>Bearer [^<]*resource_metadata=/);
  });

  it('never shows a JWT whole: no signature, even when a body or header holds the token unshortened', () => {
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const signatures = tokens.map((t) => t.split('.')[2]!);
    for (const s of signatures) expect(s.length).toBeGreaterThan(20);
    for (const s of signatures) expect(page).not.toContain(s);

    // The trace shortens what it records; the page shortens again, as its own defence.
    const raw = tokens[0]!;
    const leaky = events.map((e): TraceEvent => {
      if (e.kind === 'http.response' && e.body !== undefined) return { ...e, body: JSON.stringify({ access_token: raw }) };
      if (e.kind === 'http.request') return { ...e, headers: { ...e.headers, Authorization: `Bearer ${raw}` } };
      return e;
    });
    const leakyPage = formatHtmlPage(leaky);
    expect(leakyPage).toContain(`Bearer ${raw.slice(0, 12)}…`);
    for (const s of signatures) expect(leakyPage).not.toContain(s);
    expect(leakyPage).not.toContain(raw.split('.')[1]);
  });
});
