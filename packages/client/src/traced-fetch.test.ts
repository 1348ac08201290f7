/**
 * The trace decodes URLs for reading, but never into control characters: a hostile AS's
 * `%1B]0;pwned%07` stays escaped instead of becoming an ESC sequence the terminal obeys.
 */
import { describe, expect, it } from 'vitest';
import { displayUrl, readableUrl } from './traced-fetch.ts';

describe('terminal escape injection: the client never decodes %XX into a control character', () => {
  it.each([
    ['ESC (retitle the terminal, OSC)', 'http://as.localhost/x?error_description=%1B%5D0%3Bpwned%07', '%1B]0;pwned%07'],
    ['C1 CSI (U+009B)', 'http://as.localhost/x?e=%C2%9B2J', '%C2%9B2J'],
    ['a bidi override (U+202E)', 'http://as.localhost/x?e=%E2%80%AEevil', '%E2%80%AEevil'],
    ['a newline (fake trace line)', 'http://as.localhost/x?e=a%0A%5B6%5D%20Retry', 'a%0A[6] Retry'],
  ])('%s stays percent-encoded', (_, url, shown) => {
    const out = displayUrl(url);
    expect(out).toContain(shown);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });

  it('still decodes what is printable (readable scopes)', () => {
    expect(readableUrl('http://as.localhost/a?scope=mcp%3Aconnect%20weather%3Aread')).toBe('http://as.localhost/a?scope=mcp:connect weather:read');
  });
});
