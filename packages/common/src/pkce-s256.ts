/**
 * The S256 code challenge of PKCE (RFC 7636 §4.2), the one computation the client (which sends
 * it), the authorization server (which checks it) and the benchmark all make:
 * "code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))".
 */
import { createHash } from 'node:crypto';

export function s256CodeChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}
