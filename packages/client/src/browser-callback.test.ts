/**
 * The browser user agent on a real loopback socket: the redirect lands on the listener's own
 * URL (an OS-chosen port), nothing else is accepted, and a person who never comes back ends
 * the step with a clear failure instead of a hang.
 */
import { describe, expect, it } from 'vitest';
import { startBrowserCallback } from './browser-callback.ts';
import { StepFailure } from './step-failure.ts';

describe('startBrowserCallback (RFC 8252 §7.3 loopback redirect)', () => {
  it('listens on a loopback port of its own and hands back the URL the browser landed on', async () => {
    const callback = await startBrowserCallback({
      // The "person": their browser follows the AS's redirect to our redirect URI.
      open: async (url) => {
        const wrongPath = await fetch(new URL('/elsewhere', callback.redirectUri));
        expect(wrongPath.status).toBe(404);
        const landed = await fetch(`${callback.redirectUri}?code=c0de&state=${url.searchParams.get('state')}`);
        expect(landed.status).toBe(200);
      },
    });
    try {
      expect(callback.redirectUri).toMatch(/^http:\/\/localhost:\d+\/callback$/);
      const url = await callback.userAgent(new URL('http://as.localhost/authorize?state=s1'), callback.redirectUri);
      expect(url.searchParams.get('code')).toBe('c0de');
      expect(url.searchParams.get('state')).toBe('s1');
    } finally {
      await callback.close();
    }
  });

  it('gives up with a StepFailure when nobody comes back in time', async () => {
    const callback = await startBrowserCallback({ open: () => {}, timeoutMs: 50 });
    try {
      const waiting = callback.userAgent(new URL('http://as.localhost/authorize'), callback.redirectUri);
      await expect(waiting).rejects.toBeInstanceOf(StepFailure);
      await expect(waiting).rejects.toThrow(/nothing within/);
    } finally {
      await callback.close();
    }
  });
});
