import { describe, expect, it } from 'vitest';
import { cacheLifetimeSeconds, DocumentCache } from './cimd-cache.ts';

const bounds = { defaultSeconds: 300, maxSeconds: 3600, maxEntries: 2 };

describe('cache lifetime from Cache-Control, within bounds (CIMD §4.4, RFC 9111 §5.2.2)', () => {
  it.each([
    { header: null, seconds: 300 },
    { header: 'max-age=60', seconds: 60 },
    { header: 'public, MAX-AGE=120', seconds: 120 },
    { header: 'max-age="90"', seconds: 90 },
    { header: 'max-age=86400', seconds: 3600 },
    { header: 'max-age=-5', seconds: 0 },
    { header: 'max-age=soon', seconds: 0 },
    { header: 'no-store', seconds: 0 },
    { header: 'max-age=600, no-store', seconds: 0 },
    { header: 'no-cache', seconds: 0 },
    { header: 'private', seconds: 300 },
  ])('$header -> $seconds s', ({ header, seconds }) => {
    expect(cacheLifetimeSeconds(header, bounds)).toBe(seconds);
  });
});

describe('DocumentCache', () => {
  it('expires entries by the injected clock and stores nothing for a lifetime of 0', () => {
    let now = 0;
    const cache = new DocumentCache<string>(() => now, 10);
    cache.set('a', 'A', 10);
    cache.set('b', 'B', 0);
    expect(cache.get('b')).toBeUndefined();
    now = 9_999;
    expect(cache.get('a')).toEqual({ value: 'A', ageSeconds: 9 });
    now = 10_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest (memory stays bounded under abuse)', () => {
    const cache = new DocumentCache<string>(() => 0, 2);
    cache.set('a', 'A', 60);
    cache.set('b', 'B', 60);
    cache.set('c', 'C', 60);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.value).toBe('B');
    expect(cache.get('c')?.value).toBe('C');
  });
});
