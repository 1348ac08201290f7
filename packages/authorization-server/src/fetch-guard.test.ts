import { describe, expect, it } from 'vitest';
import { classifyAddress, fetchBounded } from './fetch-guard.ts';

describe('special-use addresses (RFC 6890)', () => {
  it.each([
    { address: '127.0.0.1', kind: 'loopback' },
    { address: '127.8.9.10', kind: 'loopback' },
    { address: '::1', kind: 'loopback' },
    { address: '::ffff:127.0.0.1', kind: 'loopback' },
    { address: '0.0.0.0', kind: 'special-use' },
    { address: '10.0.0.5', kind: 'special-use' },
    { address: '100.64.0.1', kind: 'special-use' },
    { address: '169.254.169.254', kind: 'special-use' },
    { address: '172.16.0.1', kind: 'special-use' },
    { address: '172.31.255.255', kind: 'special-use' },
    { address: '192.0.0.8', kind: 'special-use' },
    { address: '192.0.2.1', kind: 'special-use' },
    { address: '192.168.1.1', kind: 'special-use' },
    { address: '198.18.0.1', kind: 'special-use' },
    { address: '198.51.100.7', kind: 'special-use' },
    { address: '203.0.113.9', kind: 'special-use' },
    { address: '224.0.0.1', kind: 'special-use' },
    { address: '255.255.255.255', kind: 'special-use' },
    { address: '::', kind: 'special-use' },
    { address: '::ffff:10.0.0.1', kind: 'special-use' },
    { address: '64:ff9b::a00:1', kind: 'special-use' },
    { address: '2001:db8::1', kind: 'special-use' },
    { address: '2002:a00:1::1', kind: 'special-use' },
    { address: 'fd12:3456::1', kind: 'special-use' },
    { address: 'fe80::1', kind: 'special-use' },
    { address: 'ff02::1', kind: 'special-use' },
    // Public addresses are only classified here, never contacted.
    { address: '172.32.0.1', kind: 'public' },
    { address: '8.8.8.8', kind: 'public' },
    { address: '2606:4700::1111', kind: 'public' },
  ])('$address is $kind', ({ address, kind }) => {
    expect(classifyAddress(address).kind).toBe(kind);
  });
});

const LOOPBACK = { address: '127.0.0.1', family: 4 };

describe('fetchBounded', () => {
  it('asks fetch not to follow redirects, and hands back a 3xx as it is (CIMD §4)', async () => {
    const seen: RequestInit[] = [];
    const response = await fetchBounded('http://localhost:3000/doc.json', {
      fetch: (_url, init) => {
        seen.push(init);
        return new Response(null, { status: 302, headers: { Location: 'http://localhost:3000/elsewhere' } });
      },
      vetted: LOOPBACK,
      timeoutMs: 1000,
      maxBytes: 100,
    });
    expect(seen[0]?.redirect).toBe('manual');
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(response.status).toBe(302);
  });

  it('aborts the signal it gave fetch when time runs out', async () => {
    let signal: AbortSignal | undefined;
    const result = fetchBounded('http://localhost:3000/doc.json', {
      fetch: (_url, init) => {
        signal = init.signal ?? undefined;
        return new Promise<Response>(() => {});
      },
      vetted: LOOPBACK,
      timeoutMs: 20,
      maxBytes: 100,
    });
    await expect(result).rejects.toThrow(/within 20 ms/);
    expect(signal?.aborted).toBe(true);
  });
});
