import { describe, expect, it } from 'vitest';
import { generatePkce, s256 } from './pkce.ts';

describe('PKCE S256 (RFC 7636 §4.1, §4.2)', () => {
  it('computes the challenge of the RFC 7636 Appendix B example', () => {
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('generates a fresh 43-character verifier of unreserved characters each time, with its S256 challenge', () => {
    const a = generatePkce();
    const b = generatePkce();
    expect(a.code_verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(a.code_verifier).not.toBe(b.code_verifier);
    expect(a.code_challenge_method).toBe('S256');
    expect(a.code_challenge).toBe(s256(a.code_verifier));
  });
});
