import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './consent-interaction.ts';
import {
  authorizationParams,
  clientDocument,
  createHarness,
  ISSUER,
  kinds,
  REDIRECT_URI,
  registerClient,
  STACK_FRAME,
} from '../../testing/index.ts';
import { Browser, formOf } from '../../testing/consent-browser.ts';

const interactive = () => createHarness({ config: { interactive: true } });

async function signIn(browser: Browser, overrides: Record<string, string | undefined> = {}) {
  const form = await formOf(await browser.open(overrides));
  const consent = await browser.post({ ...form, action: 'sign-in', username: 'demo-user', password: DEMO_PASSWORD });
  return { consent, form: await formOf(consent) };
}

describe('sign-in and consent pages: what a person is shown', () => {
  it('sends no-framing and a tight CSP with every page (RFC 9700 §4.16 clickjacking)', async () => {
    const browser = new Browser(await interactive());
    const page = await browser.open();
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(csp).toContain("form-action 'self' http://localhost:3000");
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('asks to sign in first, then shows the client_id host, the redirect host, the scopes in words and the loopback warning', async () => {
    const h = await interactive();
    const { consent, form } = await signIn(new Browser(h), { scope: 'mcp:connect weather:read' });
    expect(consent.status).toBe(200);
    expect(form.html).toContain('<span class="host">localhost:3000</span>'); // client_id host (CIMD §6.4)
    expect(form.html).toContain('The authorization code will be sent to');
    expect(form.html).toContain('Read weather forecasts');
    expect(form.html).toContain('id="loopback-warning"');
    expect(form.html).not.toContain('This request sends it to');
    expect(form.html).toMatch(/value="approve"[\s\S]*value="deny"/);
    expect(kinds(h)).toEqual(expect.arrayContaining(['consent.requested', 'signin.succeeded']));
    expect(kinds(h)).not.toContain('code.issued');
  });

  it('warns when the code would go to another host than the client_id\'s (another program on another loopback port)', async () => {
    const h = await interactive();
    // RFC 8252 §7.3 lets a loopback redirect URI vary its port: the real client's id, an impersonator's port.
    const { form } = await signIn(new Browser(h), { redirect_uri: 'http://localhost:4444/callback' });
    // One warning, not two: the loopback one names the port the code would go to.
    expect(form.html).toMatch(/id="loopback-warning"[^]*This request sends it to <strong>localhost:4444<\/strong>, not to localhost:3000, where this application's ID is\./);
    expect(h.events.find((e) => e.kind === 'consent.requested')).toMatchObject({ client_host: 'localhost:3000', redirect_host: 'localhost:4444', redirect_elsewhere: true });
  });

  it('warns in a box of its own when a web application\'s code goes to another web host', async () => {
    const web = 'http://localhost:3000/web.json';
    const h = await createHarness({
      config: { interactive: true },
      routes: (host) => host.get('/web.json', (c) => c.json(clientDocument(web, { redirect_uris: ['https://elsewhere.example/cb'] }))),
    });
    const { form } = await signIn(new Browser(h), { client_id: web, redirect_uri: 'https://elsewhere.example/cb' });
    expect(form.html).toMatch(/id="redirect-elsewhere-warning"[^]*This request sends it to <strong>elsewhere\.example<\/strong>, not to localhost:3000/);
    expect(form.html).not.toContain('id="loopback-warning"');
  });

  it('escapes a hostile client_name (no markup from a client document reaches the page)', async () => {
    const evil = 'http://localhost:3000/evil.json';
    const h = await createHarness({
      config: { interactive: true },
      routes: (host) => host.get('/evil.json', (c) => c.json(clientDocument(evil, { client_name: '<img src=x onerror=alert(1)>"\u202E' }))),
    });
    const { html } = await formOf(await new Browser(h).open({ client_id: evil }));
    expect(html).not.toContain('<img');
    expect(html).toContain('<bdi>&lt;img src=x onerror=alert(1)&gt;&quot;\u202E</bdi>');
  });

  it('approve: a code goes to the redirect URI with state and iss, and the page is single use', async () => {
    const h = await interactive();
    const browser = new Browser(h);
    const { form } = await signIn(browser);
    const approved = await browser.post({ ...form, action: 'approve' });
    expect(approved.status).toBe(302);
    const location = new URL(approved.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(h.events.find((e) => e.kind === 'consent.approved')).toMatchObject({ sub: 'demo-user', new_scopes: ['mcp:connect'] });

    const again = await browser.post({ ...form, action: 'approve' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('<code>invalid_request</code>');
  });

  it('deny: access_denied goes back to the client with state and iss, and no code is issued', async () => {
    const h = await interactive();
    const browser = new Browser(h);
    const { form } = await signIn(browser);
    const denied = await browser.post({ ...form, action: 'deny' });
    expect(denied.status).toBe(302);
    const location = new URL(denied.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(location.searchParams.has('code')).toBe(false);
    expect(kinds(h)).toContain('consent.denied');
    expect(kinds(h)).not.toContain('code.issued');
  });

  it('step-up: the sign-in session skips the sign-in, and only the scope not granted before is marked NEW', async () => {
    const h = await interactive();
    const browser = new Browser(h);
    const first = await signIn(browser, { scope: 'mcp:connect' });
    await browser.post({ ...first.form, action: 'approve' });

    const stepUp = await formOf(await browser.open({ scope: 'mcp:connect weather:read' }));
    expect(stepUp.html).toContain('Allow access?'); // straight to consent, no second sign-in
    expect(stepUp.html).toMatch(/<code>mcp:connect<\/code><span class="held">already granted/);
    expect(stepUp.html).toMatch(/<code>weather:read<\/code><span class="new">NEW/);
    await browser.post({ ...stepUp, action: 'approve' });
    expect(h.events.filter((e) => e.kind === 'consent.approved').at(-1)).toMatchObject({ new_scopes: ['weather:read'] });
  });

  it('a wrong password shows the sign-in page again; the fifth failure ends the request with access_denied, shown, never redirected (RFC 9700 §4.11.2)', async () => {
    const h = await interactive();
    const browser = new Browser(h);
    let form = await formOf(await browser.open());
    for (let attempt = 1; attempt < 5; attempt += 1) {
      const page = await browser.post({ ...form, action: 'sign-in', username: 'demo-user', password: 'guess' });
      form = await formOf(page);
      expect(form.html).toContain('Wrong username or password.');
    }
    const last = await browser.post({ ...form, action: 'sign-in', username: 'demo-user', password: 'guess' });
    expect(last.status).toBe(403);
    expect(last.headers.get('location')).toBeNull();
    expect(await last.text()).toContain('access_denied');
    // The request is gone: the right password now finds nothing to sign in to.
    const again = await browser.post({ ...form, action: 'sign-in', username: 'demo-user', password: DEMO_PASSWORD });
    expect(again.status).toBe(400);
    expect(h.events.some((e) => e.kind === 'code.issued')).toBe(false);
  });
});

describe('the consent form refuses forged, replayed and cross-site posts (CSRF), shown, never redirected', () => {
  it.each<{ attack: string; post: (f: Form) => { fields: Form; headers?: Record<string, string> }; status: number }>([
    { attack: 'a stale CSRF token (the sign-in page token, spent at sign-in)', post: (f: Form) => ({ fields: { ...f, csrf: f.signInCsrf } }), status: 403 },
    { attack: 'no CSRF token', post: (f: Form) => ({ fields: { ...f, csrf: '' } }), status: 403 },
    { attack: 'a guessed interaction id', post: (f: Form) => ({ fields: { ...f, interaction: 'A'.repeat(43) } }), status: 400 },
    { attack: 'a cross-site form (Origin of another site)', post: (f: Form) => ({ fields: f, headers: { Origin: 'https://attacker.example' } }), status: 403 },
    { attack: 'Origin null (a sandboxed or no-referrer page)', post: (f: Form) => ({ fields: f, headers: { Origin: 'null' } }), status: 403 },
    { attack: 'another browser (no binding cookie)', post: (f: Form) => ({ fields: f, headers: { Cookie: '' } }), status: 403 },
    { attack: 'a JSON body instead of a form', post: (f: Form) => ({ fields: f, headers: { 'Content-Type': 'application/json' } }), status: 400 },
  ])('$attack -> $status invalid_request page, no Location, no code', async ({ post, status }) => {
    const h = await interactive();
    const browser = new Browser(h);
    const signInForm = await formOf(await browser.open());
    const consent = await browser.post({ ...signInForm, action: 'sign-in', username: 'demo-user', password: DEMO_PASSWORD });
    const form = await formOf(consent);
    const { fields, headers } = post({ interaction: form.interaction, csrf: form.csrf, signInCsrf: signInForm.csrf, action: 'approve' });
    const { signInCsrf: _, ...body } = fields;
    const response = await browser.post(body, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const text = await response.text();
    expect(text).toContain('<h1>This page has expired or was already used</h1>');
    expect(text).toContain('<code>invalid_request</code>');
    expect(text).not.toMatch(STACK_FRAME);
    expect(kinds(h)).not.toContain('code.issued');
    expect(h.events.filter((e) => e.kind === 'request.rejected').at(-1)).toMatchObject({ error: 'invalid_request', status });
  });
});

interface Form {
  interaction: string;
  csrf: string;
  signInCsrf: string;
  action: string;
}

/** A Set-Cookie header as name, value and its attributes in a stable order (their order has no meaning). */
function cookieParts(header: string): { name: string; value: string; attributes: string[] } {
  const [pair = '', ...attributes] = header.split('; ');
  const at = pair.indexOf('=');
  return { name: pair.slice(0, at), value: pair.slice(at + 1), attributes: attributes.sort() };
}

describe('the cookies that bind a pending request and a sign-in', () => {
  it('are HttpOnly and SameSite=Strict on the demo http issuer (no Secure possible)', async () => {
    const page = await new Browser(await interactive()).open();
    expect(page.headers.getSetCookie().map(cookieParts)).toEqual([{ name: 'mcp_demo_as_browser', value: expect.stringMatching(/^[\w-]{43}$/), attributes: ['HttpOnly', 'Max-Age=600', 'Path=/', 'SameSite=Strict'] }]);    // The page names the deviation it came with (MCP "Communication Security").
    expect(await page.text()).toContain('id="plain-http"');
  });

  it('are Secure with the __Host- prefix on an https issuer (RFC 6265bis §4.1.3.2)', async () => {
    const issuer = 'https://as.example';
    const h = await createHarness({ config: { issuer, dangerouslyAllowLoopbackHttp: false, interactive: true } });
    const clientId = await registerClient(h, { redirect_uris: ['https://app.example/cb'] });
    const params = authorizationParams({ client_id: clientId, redirect_uri: 'https://app.example/cb' });
    const page = await h.app.request(`${issuer}/authorize?${params}`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie().map(cookieParts)).toEqual([{ name: '__Host-mcp_demo_as_browser', value: expect.stringMatching(/^[\w-]{43}$/), attributes: ['HttpOnly', 'Max-Age=600', 'Path=/', 'SameSite=Strict', 'Secure'] }]);    expect(await page.text()).not.toContain('plain-http');
  });
});

describe('pending authorization requests are bounded like the codes', () => {
  it('refuses a request past the per-client cap with temporarily_unavailable (shown: nobody signed in), and expires old ones', async () => {
    const h = await createHarness({ config: { interactive: true, maxPendingAuthorizations: 20, interactionTtlSeconds: 60 } });
    const browser = new Browser(h);
    for (let i = 0; i < 2; i += 1) expect((await browser.open()).status).toBe(200); // 20 / 10 = 2 per client
    const refused = await browser.open();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).toContain('temporarily_unavailable');

    h.advance(60_000);
    expect((await browser.open()).status).toBe(200);
  });

  it('RFC 9700 §4.11.2: an error is redirected to the client only once the person has signed in', async () => {
    const h = await interactive();
    const browser = new Browser(h);
    const before = await browser.open({ scope: 'no-such-scope' });
    expect(before.status).toBe(400);
    expect(before.headers.get('location')).toBeNull();
    await signIn(browser);
    const after = await browser.open({ scope: 'no-such-scope' });
    expect(after.status).toBe(302);
    const location = new URL(after.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
  });

  it('an expired page cannot be approved', async () => {
    const h = await createHarness({ config: { interactive: true, interactionTtlSeconds: 60 } });
    const browser = new Browser(h);
    const { form } = await signIn(browser);
    h.advance(60_000);
    const late = await browser.post({ ...form, action: 'approve' });
    expect(late.status).toBe(400);
    expect(kinds(h)).not.toContain('code.issued');
  });
});
