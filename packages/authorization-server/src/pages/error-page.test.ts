import { describe, expect, it } from 'vitest';
import { authorize, createHarness, STACK_FRAME } from '../../testing/index.ts';

describe('the error page a person sees at the AS (RFC 6749 §4.1.2.1: shown, never redirected)', () => {
  it.each([
    { rule: 'an unknown client_id', overrides: { client_id: 'no-such-client' }, error: 'invalid_client', headline: 'This application is not recognised' },
    { rule: 'an unregistered redirect_uri', overrides: { redirect_uri: 'https://attacker.example/cb' }, error: 'invalid_request', headline: 'This sign-in link is not valid' },
  ])('$rule -> 400 page: what happened, what to do next, then the error code', async ({ overrides, error, headline }) => {
    const h = await createHarness();
    const response = await authorize(h, overrides, { Accept: 'text/html' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain(`<h1>${headline}</h1>`);
    expect(html.indexOf('What happened')).toBeLessThan(html.indexOf('What to do next'));
    expect(html.indexOf('What to do next')).toBeLessThan(html.indexOf(`<code>${error}</code>`));
    expect(html).toContain('RFC 6749 §4.1.2.1');
    expect(html).not.toMatch(STACK_FRAME);
  });

  it('escapes what the request carried (a redirect_uri with markup is shown as text)', async () => {
    const h = await createHarness();
    const response = await authorize(h, { redirect_uri: 'https://x.example/"><script>alert(1)</script>' }, { Accept: 'text/html' });
    const html = await response.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('programs (no Accept: text/html) still get the JSON error', async () => {
    const h = await createHarness();
    const response = await authorize(h, { client_id: 'no-such-client' });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
