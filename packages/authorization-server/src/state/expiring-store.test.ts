import { describe, expect, it } from 'vitest';
import { ExpiringStore } from './expiring-store.ts';

function store(options: { maxEntries?: number; maxPerOwner?: number } = {}) {
  let now = 0;
  const s = new ExpiringStore<string>({ now: () => now, ttlMs: 1000, maxEntries: options.maxEntries ?? 10, ...(options.maxPerOwner && { maxPerOwner: options.maxPerOwner }) });
  return { s, advance: (ms: number) => (now += ms) };
}

describe('ExpiringStore: bounded state that unauthenticated requests create', () => {
  it('refuses (never evicts) when the store is full', () => {
    const { s } = store({ maxEntries: 2 });
    expect(s.add('a', 'A')).toBeUndefined();
    expect(s.add('b', 'B')).toBeUndefined();
    expect(s.add('c', 'C')).toBe('store-full');
    expect(s.get('a')).toBe('A');
  });

  it('refuses past the per-owner cap while other owners still fit', () => {
    const { s } = store({ maxEntries: 10, maxPerOwner: 1 });
    expect(s.add('a', 'A', 'client-1')).toBeUndefined();
    expect(s.add('b', 'B', 'client-1')).toBe('owner-full');
    expect(s.add('c', 'C', 'client-2')).toBeUndefined();
  });

  it('forgets entries at their expiry, which frees room', () => {
    const { s, advance } = store({ maxEntries: 1 });
    s.add('a', 'A');
    advance(999);
    expect(s.get('a')).toBe('A');
    advance(1);
    expect(s.get('a')).toBeUndefined();
    expect(s.add('b', 'B')).toBeUndefined();
    expect(s.size).toBe(1);
  });
});
