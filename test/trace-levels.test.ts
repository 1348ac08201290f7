/**
 * Issue 17: the trace teaches why. One real journey (the real apps, in-process) gives the events;
 * the lesson, the full wire view and the Mermaid diagram are each checked against them.
 */
import { generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { clientUrls } from '@mcp-auth-demo/client';
import { DIAGRAM_PARTICIPANTS, formatMermaid, formatTrace, STEP_WHY, DECISION_WHY, type TraceEvent } from '@mcp-auth-demo/trace';
import { beforeAll, describe, expect, it } from 'vitest';
import { createInProcessLab, LAB } from './support/in-process-lab.ts';

const { issuer: ISSUER, resource: RESOURCE, clientBase: CLIENT_BASE } = LAB;

async function journeyEvents(preferDynamicRegistration = false): Promise<TraceEvent[]> {
  const signingKey = await generateSigningKey();
  const { events, run } = createInProcessLab(signingKey);
  const { clientId, redirectUri } = clientUrls(CLIENT_BASE);
  const result = await run({
    registration: { clientMetadataUrl: clientId, redirectUri, clientName: 'test', preferDynamicRegistration },
    calls: [{ name: 'whoami', arguments: {} }, { name: 'get_weather', arguments: { city: 'Paris' } }],
  });
  expect(result.ok).toBe(true);
  return events;
}

/** Sentences are wrapped at 120 columns: compare with whitespace runs folded. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const plainWhy = (sentence: string) => sentence.charAt(0).toUpperCase() + sentence.slice(1);

let events: TraceEvent[];
beforeAll(async () => {
  events = await journeyEvents();
});

describe('the lesson (default level)', () => {
  it('introduces the cast before step [1]: the user and browser (simulated), client, AS and RS', () => {
    const lines = formatTrace(events, { color: false, detail: 'lesson' }).split('\n');
    const step1 = lines.findIndex((l) => l.startsWith('[1] '));
    const cast = lines.slice(0, step1).join('\n');
    expect(cast).toMatch(/^ {2}user {4}a person and their browser.*SIMULATED/m);
    expect(cast).toMatch(/^ {2}client {2}the MCP client/m);
    expect(cast).toMatch(/^ {2}AS {6}the authorization server/m);
    expect(cast).toMatch(/^ {2}RS {6}the MCP server http:\/\/localhost:8001\/mcp, a "resource server"/m);
  });

  it('puts one sentence of why under the heading of the first step of each kind', () => {
    const text = formatTrace(events, { color: false, detail: 'lesson' });
    for (const [heading, topic] of [
      ['[1] Discovery', 'discovery'], ['[2] Authorization', 'authorization'], ['[3] Call whoami', 'call'],
      ['[5] Step-up', 'step-up'], ['[6] Retry', 'retry'],
    ] as const) {
      const after = text.slice(text.indexOf(heading));
      expect(after.split('\n')[1]).toMatch(/^ {4}why: /);
      expect(flat(after)).toContain(flat(plainWhy(STEP_WHY[topic])));
    }
  });

  it.each([
    ['PRM', DECISION_WHY.prm],
    ['CIMD (and what stops claiming another client\'s URL)', DECISION_WHY.cimd],
    ['PKCE', DECISION_WHY.pkce],
    ['state and iss', `${DECISION_WHY.state} ${DECISION_WHY.iss}`],
    ['resource / aud', DECISION_WHY.audience],
    ['insufficient_scope', DECISION_WHY.insufficientScope],
  ])('explains %s where the decision happens', (_rule, sentence) => {
    expect(flat(formatTrace(events, { color: false, detail: 'lesson' }))).toContain(flat(plainWhy(sentence)));
  });

  it('shows the decisions that teach where they happen: PKCE at /token, aud at the RS, the browser hop', () => {
    const lines = formatTrace(events, { color: false, detail: 'lesson' }).split('\n');
    const token = lines.findIndex((l) => l.includes('→ POST http://localhost:9000/token'));
    expect(lines[token + 1]).toMatch(/^ {8}AS {2}PKCE verified: SHA-256\(verifier .+…\) = .+ = challenge stored with the code {2}\(RFC 7636 §4\.6\)$/);
    expect(lines.some((l) => /RS {2}token valid, aud http:\/\/localhost:8001\/mcp = this server/.test(l))).toBe(true);
    const authorize = lines.findIndex((l) => l.includes('→ browser (headless stand-in): GET http://localhost:9000/authorize?'));
    expect(authorize).toBeGreaterThan(0);
    const back = lines.slice(authorize);
    expect(back.find((l) => l.includes('← 302'))).toContain('to the browser, Location: http://localhost:3000/callback?');
    expect(back.find((l) => l.includes('browser → client\'s callback:'))).toMatch(/state matches, iss matches/);
  });

  it('shows the MCP connection as its first request, before the decisions it caused; the plumbing is in --verbose', () => {
    const lines = formatTrace(events, { color: false, detail: 'lesson' }).split('\n');
    const step3 = lines.indexOf('[3] Call whoami');
    const connect = lines.findIndex((l, i) => i > step3 && l.startsWith('    → POST http://localhost:8001/mcp  JSON-RPC initialize  + Bearer token  ← 200'));
    const keys = lines.findIndex((l) => l.includes('RS  fetched the AS\'s signing keys'));
    expect(connect).toBeGreaterThan(step3);
    expect(keys).toBeGreaterThan(connect);
    const text = lines.join('\n');
    expect(text).not.toContain('notifications/initialized');
    expect(text).not.toContain('GET probe');
    expect(text).not.toMatch(/RS {2}MCP 2025-11-25 for/);
  });

  it('shows step-up only where it differs from step [2]: the wider scope, consent for the new scope, the new token', () => {
    const text = formatTrace(events, { color: false, detail: 'lesson' });
    const stepUp = text.slice(text.indexOf('[5] Step-up'), text.indexOf('[6] '));
    expect(stepUp).toContain('asks for "mcp:connect weather:read", what the challenge names (it includes "mcp:connect", asked for before)');
    expect(stepUp).toContain('AS  consent (SIMULATED, auto-approved) for the new scope only: demo-user adds "weather:read"');
    expect(stepUp).toContain('AS  new access token: scope "mcp:connect weather:read"');
    for (const repeated of ['PKCE', 'code issued', '← 302', 'callback', 'authorize again', '∪', 'of max']) expect(stepUp).not.toContain(repeated);
  });

  it('decodes the first access token: iss, sub, client_id, aud, scope, exp and its lifetime, never the signature', () => {
    const lines = formatTrace(events, { color: false, detail: 'lesson' }).split('\n');
    const issued = lines.findIndex((l) => l.includes('AS  access token issued, a JWT signed by the AS (RFC 9068)'));
    expect(lines[issued + 1]).toMatch(/^ {14}iss=http:\/\/localhost:9000 {2}sub=demo-user {2}client_id=http:\/\/localhost:3000\/client-metadata\.json$/);
    expect(lines[issued + 2]).toMatch(/^ {14}aud=http:\/\/localhost:8001\/mcp \(= resource\) {2}scope="mcp:connect" {2}exp \d\d:\d\d:\d\dZ, \d+ s after it was issued$/);
  });

  it('shows the client\'s metadata document as the AS fetched it: client_name, grant_types, redirect_uris', () => {
    const text = formatTrace(events, { color: false, detail: 'lesson' });
    expect(text).toContain('        AS  fetched the client\'s metadata document: valid');
    expect(text).toMatch(/^ {14}client_name "[^"]+", grant_types authorization_code( refresh_token)?$/m);
    expect(text).toMatch(/^ {14}redirect_uris http:\/\/localhost:3000\/callback /m);
  });

  it('shows the whole whoami result, audience included', () => {
    const text = formatTrace(events, { color: false, detail: 'lesson' });
    expect(text.replace(/\n {6}│ /g, '')).toMatch(/"audience":"http:\/\/localhost:8001\/mcp"/);
  });

  it('ends with a recap of 5 to 8 lines, each tied to its step', () => {
    const lines = formatTrace(events, { color: false, detail: 'lesson' }).split('\n');
    const start = lines.findIndex((l) => /^✔ Journey complete: .* What this run showed:$/.test(l));
    expect(start).toBeGreaterThan(0);
    const recap = lines.slice(start + 1).filter((l) => /^ {2}\[\d\] /.test(l));
    expect(recap.length).toBeGreaterThanOrEqual(5);
    expect(recap.length).toBeLessThanOrEqual(8);
    expect(recap.map((l) => l.slice(2, 5))).toEqual(['[1]', '[2]', '[2]', '[2]', '[3]', '[4]', '[5]']);
  });

  it('also teaches the DCR journey (registration explained, same cast and recap)', async () => {
    const dcr = formatTrace(await journeyEvents(true), { color: false, detail: 'lesson' });
    expect(flat(dcr)).toContain(flat(plainWhy(DECISION_WHY.dcr)));
    expect(dcr).toContain('[1] The client registered itself with the AS (DCR)');
    expect(dcr).toContain('PKCE verified');
  });
});

describe('collapsing identical decisions is exact', () => {
  const accepted = (at: number, scope: string, jti = 'j1'): TraceEvent => ({
    kind: 'token.accepted', party: 'resource-server', at, resource: RESOURCE,
    claims: { sub: 'demo-user', aud: RESOURCE, scope, jti, exp: 2_000_000_000 },
  });

  it('counts repeats of the very same decision on one line', () => {
    const text = formatTrace([accepted(1, 'a'), accepted(2, 'a'), accepted(3, 'a'), accepted(4, 'a')], { color: false, detail: 'lesson' });
    expect(text.split('\n')).toEqual([`        RS  token valid, aud ${RESOURCE} = this server, scope "a" (same token, 3 more requests)`]);
  });

  it.each([
    ['another scope', accepted(2, 'b')],
    ['another token with the same claims (jti differs)', accepted(2, 'a', 'j2')],
  ])('never folds a decision that differs: %s', (_name, other) => {
    const lines = formatTrace([accepted(1, 'a'), other, accepted(3, 'a')], { color: false, detail: 'lesson' }).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('(same token, 1 more request)');
    expect(lines[1]).not.toContain('more request');
  });
});

describe('--verbose keeps the full wire view', () => {
  it('shows every exchange with its headers, every citation and the step timings', () => {
    const text = formatTrace(events, { color: false, detail: 'verbose' });
    for (const e of events) {
      if (e.kind === 'http.request') expect(text).toContain(`→ ${e.method} ${e.url.split('?')[0]}`);
      if (e.kind === 'http.response') for (const [k, v] of Object.entries(e.headers)) expect(text).toContain(`${k}: ${v}`);
      if (e.spec) expect(text).toContain(`(${e.spec})`);
      if (e.kind === 'step.finished') expect(text).toContain(`done in ${e.ms} ms`);
    }
    expect(text).toContain('JSON-RPC notifications/initialized');
    expect(text).toMatch(/RS {2}GET \/mcp → 405 method_not_allowed/);
    expect(text.match(/RS {2}token accepted/g)!.length).toBe(events.filter((e) => e.kind === 'token.accepted').length);
  });

  it('keeps every rule the lesson leaves out: each citation of the run is in --verbose', () => {
    const verbose = formatTrace(events, { color: false, detail: 'verbose' });
    const cited = new Set(events.flatMap((e) => (e.spec ? [e.spec] : [])));
    for (const spec of cited) expect(verbose).toContain(spec);
  });
});

describe('--diagram: a Mermaid sequence diagram of the run', () => {
  it('has the five participants and one arrow per exchange', () => {
    const diagram = formatMermaid(events);
    expect(diagram.startsWith('sequenceDiagram\n')).toBe(true);
    expect(DIAGRAM_PARTICIPANTS).toHaveLength(5);
    for (const [id, name] of DIAGRAM_PARTICIPANTS) expect(diagram).toContain(`participant ${id} as ${name}`);
    const arrows = diagram.split('\n').filter((l) => /^\s+\w+->>\w+: /.test(l));
    const exchanges = events.filter((e) => ['http.request', 'cimd.fetched', 'jwks.fetched', 'authorization.callback'].includes(e.kind) ||
      (e.kind === 'token.introspected' && e.party === 'authorization-server'));
    expect(arrows).toHaveLength(exchanges.length);
    // Who talks to whom: the browser carries /authorize, the AS fetches the metadata document, the RS the keys.
    expect(arrows.filter((a) => a.includes('U->>AS: GET /authorize → 302'))).toHaveLength(2);
    expect(arrows.filter((a) => a.includes('U->>C: redirect to the callback'))).toHaveLength(2);
    expect(arrows).toContainEqual(expect.stringContaining('AS->>H: GET /client-metadata.json → 200'));
    expect(arrows).toContainEqual(expect.stringContaining('RS->>AS: GET /jwks'));
    expect(arrows).toContainEqual(expect.stringContaining('C->>RS: POST /mcp initialize → 401'));
  });

  it('marks the steps as sections and notes the key decisions', () => {
    const diagram = formatMermaid(events);
    for (const n of [1, 2, 3, 4, 5, 6]) expect(diagram).toMatch(new RegExp(`Note over U,RS: \\[${n}\\] `));
    expect(diagram.match(/^\s+rect /gm)).toHaveLength(6);
    expect(diagram.match(/^\s+end$/gm)).toHaveLength(6);
    for (const note of ['PKCE verified', 'aud = this server', 'insufficient_scope', 'step-up: ask for held ∪ challenged', 'state matches, iss matches']) {
      expect(diagram).toContain(note);
    }
  });

  it('writes values as Mermaid text (no control characters, no statement breaks)', () => {
    const diagram = formatMermaid([
      { kind: 'step.started', party: 'client', at: 1, step: 1, title: 'a;b#c\u001b[2J\nNote over U: forged' },
    ]);
    expect(diagram).toContain('[1] a#59;b#35;c\\x1b[2J\\x0aNote over U: forged');
    expect(diagram.split('\n').filter((l) => l.includes('forged'))).toHaveLength(1);
  });
});
