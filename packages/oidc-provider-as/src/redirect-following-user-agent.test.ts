/**
 * The redirect-following user agent: it follows an AS's own redirects with the cookies the AS
 * set (as a browser does), and stops at the first redirect that leaves the AS.
 */
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { describe, expect, it } from 'vitest';
import { MAX_REDIRECTS, redirectFollowingUserAgent } from './redirect-following-user-agent.ts';

const AS = 'http://localhost:9000';
const REDIRECT_URI = 'http://localhost:3000/callback';

function authorizationServer() {
  const app = new Hono();
  app.get('/auth', (c) => {
    setCookie(c, 'interaction', 'i-1', { path: '/' });
    return c.redirect('/interaction/i-1', 303);
  });
  // Answers only with the cookie it set: a user agent without cookies would be refused here.
  app.get('/interaction/i-1', (c) => (getCookie(c, 'interaction') === 'i-1' ? c.redirect(`${REDIRECT_URI}?code=abc&state=s`, 303) : c.text('no session', 400)));
  app.get('/loop', (c) => c.redirect('/loop', 302));
  app.get('/page', (c) => c.html('<form>sign in</form>'));
  const fetchImpl = ((input: string | URL | Request, init?: RequestInit) => app.request(String(input instanceof Request ? input.url : input), init)) as typeof fetch;
  return fetchImpl;
}

describe('redirectFollowingUserAgent', () => {
  it('follows the AS\'s redirects with its cookies and returns the redirect to the client', async () => {
    const callback = await redirectFollowingUserAgent(authorizationServer())(new URL(`${AS}/auth`), REDIRECT_URI);
    expect(callback.href).toBe(`${REDIRECT_URI}?code=abc&state=s`);
  });

  it.each([
    ['a redirect loop inside the AS', '/loop', new RegExp(`more than ${MAX_REDIRECTS} redirects`)],
    ['a page for a person instead of a redirect', '/page', /answered 200 instead of redirecting/],
  ])('refuses %s', async (_name, path, message) => {
    await expect(redirectFollowingUserAgent(authorizationServer())(new URL(`${AS}${path}`), REDIRECT_URI)).rejects.toThrow(message);
  });
});
