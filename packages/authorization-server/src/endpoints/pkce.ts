/**
 * Proof Key for Code Exchange (RFC 7636), S256 only.
 *
 * - §4.2/§4.3: the client sends `code_challenge` = BASE64URL(SHA256(code_verifier)) and
 *   `code_challenge_method=S256` on the authorization request.
 * - §4.4.1: a method the server does not support is answered with `invalid_request`.
 *   `plain` is refused: OAuth 2.1 §4.1.1 and the MCP spec require S256, and `plain` protects
 *   nothing once the authorization request itself is seen by an attacker.
 * - §4.6: the token endpoint recomputes the challenge from `code_verifier` and compares.
 */
import { OAuthError, s256CodeChallenge } from '@mcp-auth-demo/common';
import { constantTimeEqual } from '../request-rules.ts';

export const SUPPORTED_CODE_CHALLENGE_METHODS = ['S256'] as const;

/** BASE64URL of a 32-byte SHA-256 digest, without padding, is exactly 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** RFC 7636 §4.1: code-verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The S256 transformation of RFC 7636 §4.2 (the one computation, in common). */
export { s256CodeChallenge };

/** Authorization request: returns the validated challenge or throws `invalid_request`. */
export function checkCodeChallenge(challenge: string | undefined, method: string | undefined): string {
  // OAuth 2.1 §4.1.1 and MCP: PKCE is required; this AS enforces it for every client, S256 only.
  if (!challenge) {
    throw new OAuthError('invalid_request', 'code_challenge is required (PKCE, RFC 7636; OAuth 2.1 §4.1.1).');
  }
  // RFC 7636 §4.3: an absent method means "plain"; §4.4.1: an unsupported method is invalid_request.
  if (method !== 'S256') {
    const named = method === undefined ? 'absent (which means plain)' : `"${method}"`;
    throw new OAuthError(
      'invalid_request',
      `code_challenge_method ${named} is not supported; use S256 (RFC 7636 §4.4.1).`,
    );
  }
  // RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) is 43 base64url characters.
  if (!S256_CHALLENGE.test(challenge)) {
    throw new OAuthError('invalid_request', 'code_challenge must be 43 base64url characters (RFC 7636 §4.2).');
  }
  return challenge;
}

/** Token request: true when the verifier is well formed (RFC 7636 §4.1). */
export function isWellFormedCodeVerifier(codeVerifier: string): boolean {
  return CODE_VERIFIER.test(codeVerifier);
}

/**
 * RFC 7636 §4.6: "the server verifies it by calculating the code challenge from the received
 * code_verifier and comparing it with the previously associated code_challenge". The comparison
 * is constant-time, so the time it takes says nothing about how many characters matched.
 */
export function verifyCodeVerifier(codeVerifier: string, codeChallenge: string): boolean {
  if (!isWellFormedCodeVerifier(codeVerifier)) return false;
  return constantTimeEqual(s256CodeChallenge(codeVerifier), codeChallenge);
}
