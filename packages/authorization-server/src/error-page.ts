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

const EXPLANATIONS: Partial<Record<OAuthErrorCode | HttpErrorCode, Explanation>> = {
  invalid_client: {
    title: 'This application is not recognised',
    happened: 'The application that sent you here identified itself with a client ID that this authorization server cannot use.',
    next: 'Go back to the application and try again. If you develop it, the terminal running the authorization server says what was wrong with its client ID.',
  },
  invalid_request: {
    title: 'This request cannot be completed',
    happened: 'The request that brought you here is incomplete, malformed, expired or was already used, so it was not sent back to any application.',
    next: 'Go back to the application and start the sign-in again from there. Do not reuse an old tab or a bookmarked link.',
  },
  temporarily_unavailable: {
    title: 'Too many requests right now',
    happened: 'The authorization server is holding as many pending sign-ins as it allows.',
    next: 'Wait a few minutes for old requests to expire, then start again from the application.',
  },
  server_error: {
    title: 'Something went wrong',
    happened: 'The authorization server hit an unexpected problem and could not finish the request.',
    next: 'Start again from the application. If it keeps happening, look at the terminal running the authorization server.',
  },
};

const FALLBACK: Explanation = {
  title: 'Authorization failed',
  happened: 'The authorization server could not handle this request.',
  next: 'Go back to the application and start again.',
};

/** The error `thrown` as a page for a person, with the error code and the rule below. */
export function errorPage(thrown: unknown): Response {
  const error = toOAuthError(thrown);
  const { title, happened, next } = EXPLANATIONS[error.error] ?? FALLBACK;
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
