/**
 * The error page a person sees at the authorization server, when an error must be SHOWN rather
 * than sent back to the application: RFC 6749 §4.1.2.1, "If the request fails due to a missing,
 * invalid, or mismatching redirection URI, or if the client identifier is missing or invalid, the
 * authorization server SHOULD inform the resource owner of the error and MUST NOT automatically
 * redirect the user-agent to the invalid redirection URI." The same holds for a sign-in or consent
 * form that cannot be trusted (expired, replayed, forged): nothing tells us where to send it.
 *
 * In words first (what happened, what to do next), the technical detail below.
 */
import { toOAuthError, type HttpErrorCode, type OAuthErrorCode } from '@mcp-auth-demo/common';
import { h, htmlPage } from './html-page.ts';

interface Explanation {
  title: string;
  happened: string;
  next: string;
}

/** Where the person was: following an application's link, or posting one of our forms. */
export type ErrorPlace = 'authorization' | 'interaction';

const EXPLANATIONS: Partial<Record<`${ErrorPlace} ${OAuthErrorCode | HttpErrorCode}`, Explanation>> = {
  'authorization invalid_client': {
    title: 'This application is not recognised',
    happened: 'The application that sent you here identified itself with a client ID that this authorization server cannot use.',
    next: 'Go back to the application and try again. If you develop it, the technical detail below says what was wrong with its client ID.',
  },
  // Before the redirect URI is validated, every invalid_request is about the client's request itself.
  'authorization invalid_request': {
    title: 'This sign-in link is not valid',
    happened:
      'The application sent you here with a request this server cannot accept (for example a return address it never registered). ' +
      'You were not sent back to that address: it could belong to someone else.',
    next: 'Go back to the application and start again. If you develop it, the technical detail below names the parameter.',
  },
  'interaction invalid_request': {
    title: 'This page has expired or was already used',
    happened:
      'The sign-in or consent form you sent is unknown, expired or already answered, or it did not come from this server’s own page in this browser.',
    next: 'Go back to the application and start the sign-in again from there. Do not reuse an old tab or a bookmarked link.',
  },
};

/** Anywhere: an unexpected failure (its cause never reaches the page, see toOAuthError). */
const SERVER_ERROR: Explanation = {
  title: 'Something went wrong',
  happened: 'The authorization server hit an unexpected problem and could not finish the request.',
  next: 'Start again from the application. If it keeps happening, look at the terminal running the authorization server.',
};

const FALLBACK: Explanation = {
  title: 'Authorization failed',
  happened: 'The authorization server could not handle this request.',
  next: 'Go back to the application and start again.',
};

/** The error `thrown` as a page for a person, with the error code and the rule below. */
export function errorPage(thrown: unknown, place: ErrorPlace): Response {
  const error = toOAuthError(thrown);
  const { title, happened, next } =
    error.error === 'server_error' ? SERVER_ERROR : EXPLANATIONS[`${place} ${error.error}` as keyof typeof EXPLANATIONS] ?? FALLBACK;
  const body = h`<h1>${title}</h1>
<p><strong>What happened:</strong> ${happened}</p>
<p><strong>What to do next:</strong> ${next}</p>
<details open>
<summary>Technical detail</summary>
<p>error: <code>${error.error}</code> (HTTP ${error.status})<br>
error_description: <span class="mono">${error.description}</span></p>
<p>Shown here instead of being sent to the application: RFC 6749 §4.1.2.1.</p>
</details>`;
  return htmlPage({ title, body, status: error.status, headers: Object.entries(error.options.headers ?? {}) });
}
