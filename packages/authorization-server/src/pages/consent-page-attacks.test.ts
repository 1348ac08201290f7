/**
 * Round 3 (issue 23 §3): what a hostile client can put on the sign-in page through the fields
 * of its CIMD document or its RFC 7591 registration. The page renders client_name (escaped,
 * bdi-isolated) and the client_id host; it renders no client-supplied URL as a link or an image,
 * so client_uri, logo_uri, tos_uri and policy_uri (javascript:, data:) never become markup.
 */
import { describe, expect, it } from 'vitest';
import { authorizationParams, clientDocument, createHarness, ISSUER, registerClient } from '../../testing/index.ts';

const HOSTILE_URLS = {
  client_uri: 'javascript:alert(1)',
  logo_uri: 'data:image/svg+xml,<svg onload=alert(1)>',
  tos_uri: 'javascript:alert(2)',
  policy_uri: 'data:text/html,<script>alert(3)</script>',
};
const HOSTILE_NAME = '<script>alert(4)</script><a href="javascript:alert(5)">x</a>';

function page(html: string) {
  return {
    links: [...html.matchAll(/<(?:a|img|link|iframe|object|embed|script)\b/gi)].length,
    // A URL attribute whose value is a javascript: or data: URL (text content is escaped, harmless).
    hasHostileUrl: /\b(?:href|src|action|formaction)\s*=\s*["']?\s*(?:javascript|data):/i.test(html),
  };
}

describe('the sign-in page and hostile client metadata (XSS through CIMD and DCR fields)', () => {
  it('a CIMD document with javascript:/data: URLs and markup in client_name yields no link, image or script', async () => {
    const evil = 'http://localhost:3000/evil.json';
    const h = await createHarness({
      config: { interactive: true },
      routes: (host) => host.get('/evil.json', (c) => c.json(clientDocument(evil, { client_name: HOSTILE_NAME, ...HOSTILE_URLS }))),
    });
    const response = await h.app.request(`${ISSUER}/authorize?${authorizationParams({ client_id: evil })}`, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(page(html)).toEqual({ links: 0, hasHostileUrl: false });
    expect(html).toContain('<bdi>&lt;script&gt;');
  });

  it('a DCR registration with the same fields is registered without them, and rendered with no link, image or script', async () => {
    const h = await createHarness({ config: { interactive: true } });
    const registration = await h.app.request(`${ISSUER}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://localhost:3000/callback'], client_name: HOSTILE_NAME, token_endpoint_auth_method: 'none', ...HOSTILE_URLS }),
    });
    // One outcome: RFC 7591 §2 lets the AS ignore metadata it does not use, and these URLs are
    // not kept (the response, RFC 7591 §3.2.1, lists what was registered), so none can be shown.
    expect(registration.status).toBe(201);
    const registered = (await registration.json()) as Record<string, unknown>;
    expect(Object.keys(registered).filter((k) => k in HOSTILE_URLS)).toEqual([]);
    const clientId = await registerClient(h, { client_name: HOSTILE_NAME, ...HOSTILE_URLS });
    const response = await h.app.request(`${ISSUER}/authorize?${authorizationParams({ client_id: clientId })}`, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(page(await response.text())).toEqual({ links: 0, hasHostileUrl: false });
  });
});
