/**
 * The user agent: whatever carries the authorization request to the authorization server and
 * brings its redirect back (OAuth 2.1 §4.1.1-4.1.2). In a real client that is the person's
 * browser; the journey only needs the URL the AS redirected to.
 *
 * - `headlessUserAgent` (the default): requests the authorization URL itself and reads the
 *   `Location` of the AS's redirect. It works wherever the AS redirects at once (the demo AS,
 *   whose consent is auto-approved; the conformance suite's mock AS).
 * - `startBrowserCallback` (browser-callback.ts): a person's browser and a loopback listener.
 */
import { describeResponse, StepFailure } from './step-failure.ts';
import type { Fetch } from './traced-fetch.ts';

/** How an authorization ended, once the client has checked the redirect and redeemed the code. */
export type AuthorizationOutcome =
  | { ok: true; issuer: string; scopes: string[] }
  | {
      ok: false;
      /** The AS's `error` and `error_description`, when the redirect carried one that passed the checks. */
      error?: string;
      error_description?: string;
      expected: string;
      received: string;
    };

/**
 * Takes the authorization URL; resolves to the redirect URI the AS sent the user back to.
 * `finish`, when present, is told the outcome (a browser is answered only then, so it shows
 * what the terminal shows, never "success" before `state` and `iss` are checked).
 */
export interface UserAgent {
  (authorizationUrl: URL, redirectUri: string): Promise<URL>;
  finish?(outcome: AuthorizationOutcome): void;
}

/** `origin + path` of a URL: what a redirect must match (its query carries the response). */
export function withoutQuery(url: URL | string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export function headlessUserAgent(fetch: Fetch): UserAgent {
  return async (authorizationUrl, redirectUri) => {
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) {
      throw new StepFailure(
        `a redirect to ${redirectUri} (a headless client cannot show a login or consent page: try --browser)`,
        await describeResponse(response),
      );
    }
    const callback = new URL(location, authorizationUrl);
    if (withoutQuery(callback) !== withoutQuery(redirectUri)) {
      throw new StepFailure(`a redirect to ${redirectUri}`, `a redirect to ${withoutQuery(callback)}`);
    }
    return callback;
  };
}
