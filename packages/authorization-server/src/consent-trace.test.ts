/**
 * The trace teaches the consent paths: what the person was shown, what they decided, and what
 * went back to the client. Printed by the one printer from the AS's own events.
 */
import { formatTrace } from '@mcp-auth-demo/trace';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './endpoints/consent-interaction.ts';
import { authorizationParams, authorize, clientDocument, createHarness, ISSUER } from '../testing/index.ts';

async function interactiveDecision(action: 'approve' | 'deny') {
  const h = await createHarness({ config: { interactive: true } });
  const page = await h.app.request(`${ISSUER}/authorize?${authorizationParams()}`, { headers: { Accept: 'text/html' } });
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  const post = (fields: Record<string, string>) =>
    h.app.request(`${ISSUER}/authorize/interaction`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, Cookie: cookie },
      body: new URLSearchParams(fields).toString(),
    });
  let html = await page.text();
  html = await (await post({ interaction: field(html, 'interaction'), csrf: field(html, 'csrf'), action: 'sign-in', username: 'demo-user', password: DEMO_PASSWORD })).text();
  await post({ interaction: field(html, 'interaction'), csrf: field(html, 'csrf'), action });
  return formatTrace(h.events, { color: false });
}

describe('the trace teaches consent', () => {
  it('a denial: the page shown (client host, redirect host, loopback warning), who denied, access_denied back to the client', async () => {
    const trace = await interactiveDecision('deny');
    expect(trace).toMatch(/AS {2}asks the person to sign in, then to consent: client localhost:3000, code to localhost:3000, scope "mcp:connect" \(page warns: every redirect URI is loopback\)/);
    expect(trace).toMatch(/AS {2}demo-user signed in/);
    expect(trace).toMatch(/AS {2}demo-user denied the request on the consent page: access_denied goes back to the client {2}\(RFC 6749 §4\.1\.2\.1/);
    expect(trace).toMatch(/POST \/authorize\/interaction → 302 access_denied/);
    expect(trace).not.toContain('authorization code issued');
  });

  it('an approval: what was approved and which scopes were new, then the code', async () => {
    const trace = await interactiveDecision('approve');
    expect(trace).toMatch(/demo-user approved scope "mcp:connect" \(new: mcp:connect\)[\s\S]*authorization code issued/);
  });

  it('a headless refusal names the reason and the redirect host', async () => {
    const h = await createHarness({
      routes: (host) => host.get('/web.json', (c) => c.json(clientDocument('http://localhost:3000/web.json', { redirect_uris: ['https://app.example/cb'] }))),
    });
    await authorize(h, { client_id: 'http://localhost:3000/web.json', redirect_uri: 'https://app.example/cb' });
    const trace = formatTrace(h.events, { color: false });
    expect(trace).toMatch(/consent refused for http:\/\/localhost:3000\/web\.json: no person to ask \(headless\) and the redirect URI is not loopback \(code would go to app\.example\) → access_denied/);
  });
});
