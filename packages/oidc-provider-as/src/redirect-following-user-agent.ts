/**
 * A headless user agent for an authorization server that sends the browser through its own pages
 * before redirecting back (oidc-provider: `/auth` -> `/interaction/<uid>` -> `/auth/<uid>` ->
 * the client's redirect URI). It does what a browser does with no person in front of it: follows
 * the AS's redirects on the AS's own origin, carrying the cookies the AS set, and stops at the
 * first redirect that leaves the AS, which is the authorization response (OAuth 2.1 §4.1.2).
 *
 * Only the AS's origin is followed: a redirect anywhere else is handed to the client as the
 * response, and the client checks that it is its own redirect URI (with `state` and `iss`).
 */
export type UserAgent = (authorizationUrl: URL, redirectUri: string) => Promise<URL>;

/** More hops than this is a loop, not a login. */
export const MAX_REDIRECTS = 10;

export function redirectFollowingUserAgent(fetchImpl: typeof fetch = fetch): UserAgent {
  return async (authorizationUrl) => {
    const cookies = new Map<string, string>();
    let current = new URL(authorizationUrl);
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetchImpl(current, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      for (const line of response.headers.getSetCookie()) {
        const pair = line.split(';')[0] ?? '';
        const equals = pair.indexOf('=');
        if (equals > 0) cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || !location) {
        throw new Error(`the authorization server answered ${response.status} instead of redirecting (a page for a person?)`);
      }
      const next = new URL(location, current);
      if (next.origin !== authorizationUrl.origin) return next;
      current = next;
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects inside the authorization server`);
  };
}
