/**
 * PKCE (RFC 7636), S256 only: OAuth 2.1 §4.1.1 and the MCP spec require it for every client.
 */
import { s256CodeChallenge } from '@mcp-auth-demo/common';
import { randomBytes } from 'node:crypto';

export interface PkcePair {
  /** RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~]; 32 random bytes give 43. */
  code_verifier: string;
  /** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
  code_challenge: string;
  code_challenge_method: 'S256';
}

/** RFC 7636 §4.2, the one S256 computation (common's, which the AS checks with too). */
export const s256 = s256CodeChallenge;

export function generatePkce(): PkcePair {
  const code_verifier = randomBytes(32).toString('base64url');
  return { code_verifier, code_challenge: s256(code_verifier), code_challenge_method: 'S256' };
}

/** An unguessable `state` value (RFC 6749 §10.12). */
export function generateState(): string {
  return randomBytes(16).toString('base64url');
}
