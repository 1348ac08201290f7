import { describe, expect, it } from 'vitest';
import { isWellFormedCodeVerifier, s256CodeChallenge, verifyCodeVerifier } from './pkce.ts';
import { CHALLENGE, VERIFIER } from '../../testing/index.ts';

describe('PKCE S256 (RFC 7636)', () => {
  it('computes the challenge of RFC 7636 Appendix B', () => {
    expect(s256CodeChallenge(VERIFIER)).toBe(CHALLENGE);
  });

  it.each([
    { rule: 'the matching verifier', verifier: VERIFIER, challenge: CHALLENGE, ok: true },
    { rule: 'another verifier', verifier: 'x'.repeat(43), challenge: CHALLENGE, ok: false },
    { rule: 'the challenge itself used as verifier (plain)', verifier: CHALLENGE, challenge: CHALLENGE, ok: false },
    { rule: 'a verifier one character off', verifier: `${VERIFIER.slice(0, -1)}j`, challenge: CHALLENGE, ok: false },
  ])('verifies $rule -> $ok (RFC 7636 §4.6)', ({ verifier, challenge, ok }) => {
    expect(verifyCodeVerifier(verifier, challenge)).toBe(ok);
  });

  it.each([
    { verifier: 'a'.repeat(42), ok: false },
    { verifier: 'a'.repeat(43), ok: true },
    { verifier: 'a'.repeat(128), ok: true },
    { verifier: 'a'.repeat(129), ok: false },
    { verifier: `${'a'.repeat(42)}~`, ok: true },
    { verifier: `${'a'.repeat(42)}+`, ok: false },
    { verifier: `${'a'.repeat(42)}=`, ok: false },
  ])('a verifier of $verifier.length chars like "…$verifier" is well formed: $ok (RFC 7636 §4.1)', ({ verifier, ok }) => {
    expect(isWellFormedCodeVerifier(verifier)).toBe(ok);
  });
});
