/**
 * The error codes an authorization server may send back to the redirect URI (RFC 6749
 * §4.1.2.1, OpenID Connect Core §3.1.2.6, RFC 8707 §2), in words a person understands. The
 * terminal and the browser's callback page say the same thing.
 */

export interface ErrorInWords {
  /** What happened, as a short title. */
  title: string;
  /** What it means and what to do next. */
  meaning: string;
}

const WORDS: Record<string, ErrorInWords> = {
  access_denied: {
    title: 'Access was not granted',
    meaning: 'The sign-in or the consent was cancelled, or the authorization server declined the request. Nothing was shared with the client. Run the client again to try again.',
  },
  invalid_scope: {
    title: 'The access asked for is not available',
    meaning: 'The authorization server does not know or does not allow one of the requested scopes.',
  },
  invalid_target: {
    title: 'The server to access is not known here',
    meaning: 'The authorization server does not issue tokens for this MCP server (the resource parameter, RFC 8707).',
  },
  unauthorized_client: {
    title: 'This client may not sign in this way',
    meaning: 'The authorization server does not allow this client to use the authorization code flow.',
  },
  invalid_request: {
    title: 'The request was malformed',
    meaning: 'The authorization server could not accept the request the client sent. The technical detail below says why.',
  },
  unsupported_response_type: {
    title: 'The request was not supported',
    meaning: 'The authorization server does not support the authorization code flow for this client.',
  },
  server_error: {
    title: 'The authorization server failed',
    meaning: 'Something went wrong at the authorization server. Try again later.',
  },
  temporarily_unavailable: {
    title: 'The authorization server is busy',
    meaning: 'The authorization server cannot handle the request right now. Try again in a moment.',
  },
  login_required: { title: 'Sign-in needed', meaning: 'The authorization server needs you to sign in, and could not ask.' },
  consent_required: { title: 'Consent needed', meaning: 'The authorization server needs your consent, and could not ask.' },
  interaction_required: { title: 'Your action is needed', meaning: 'The authorization server needs you to act in the browser, and could not ask.' },
};

/** The words for an error code; an unknown code is named as such. */
export function errorInWords(error: string): ErrorInWords {
  return WORDS[error] ?? { title: 'The authorization server returned an error', meaning: 'The technical detail below says which.' };
}
