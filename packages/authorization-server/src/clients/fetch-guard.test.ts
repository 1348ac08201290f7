import { describe, expect, it } from 'vitest';
import { checkHostAddresses, classifyAddress, embeddedIPv4, fetchBounded, FetchRefused } from './fetch-guard.ts';
import { authorize, createHarness } from '../../testing/index.ts';

/** The IPv4-mapped IPv6 spellings of an IPv4 address: dotted and hex (how the URL parser writes it). */
function mapped(ipv4: string): [string, string] {
  const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
  return [`::ffff:${ipv4}`, `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`];
}

/** One address inside each IPv4 special-use block of RFC 6890 §2.2.2 (and multicast, reserved). */
const IPV4_SPECIAL_USE = [
  ['0.0.0.0/8', '0.1.2.3'],
  ['10.0.0.0/8', '10.0.0.5'],
  ['100.64.0.0/10', '100.64.0.1'],
  ['169.254.0.0/16 (cloud metadata)', '169.254.169.254'],
  ['172.16.0.0/12', '172.31.255.255'],
  ['192.0.0.0/24', '192.0.0.8'],
  ['192.0.2.0/24', '192.0.2.1'],
  ['192.88.99.0/24', '192.88.99.1'],
  ['192.168.0.0/16', '192.168.1.1'],
  ['198.18.0.0/15', '198.19.0.1'],
  ['198.51.100.0/24', '198.51.100.7'],
  ['203.0.113.0/24', '203.0.113.9'],
  ['224.0.0.0/4', '224.0.0.1'],
  ['240.0.0.0/4', '255.255.255.255'],
] as const;

/** One address inside each IPv6 special-use block, compressed and fully written out. */
const IPV6_SPECIAL_USE = [
  ['::/128', '::', '0:0:0:0:0:0:0:0'],
  ['::/96 (IPv4-compatible, embedding loopback)', '::7f00:1', '0:0:0:0:0:0:7f00:1'],
  ['64:ff9b::/96 (NAT64, embedding loopback)', '64:ff9b::7f00:1', '64:ff9b:0:0:0:0:127.0.0.1'],
  ['64:ff9b:1::/48 (local NAT64)', '64:ff9b:1::a00:1', '64:ff9b:1:0:0:0:a00:1'],
  ['100::/64', '100::1', '100:0:0:0:0:0:0:1'],
  ['2001::/23 (Teredo)', '2001::1', '2001:0:0:0:0:0:0:1'],
  ['2001:db8::/32', '2001:db8::1', '2001:db8:0:0:0:0:0:1'],
  ['2002::/16 (6to4, embedding loopback)', '2002:7f00:1::1', '2002:7f00:1:0:0:0:0:1'],
  ['fc00::/7', 'fd12:3456::1', 'fd12:3456:0:0:0:0:0:1'],
  ['fe80::/10', 'fe80::1', 'fe80:0:0:0:0:0:0:1'],
  ['fe80::/10 with a zone id', 'fe80::1%eth0', 'fe80:0:0:0:0:0:0:1%eth0'],
  ['ff00::/8', 'ff02::1', 'ff02:0:0:0:0:0:0:1'],
] as const;

describe('special-use addresses (RFC 6890), every block in every spelling', () => {
  it.each(IPV4_SPECIAL_USE.flatMap(([block, ipv4]) => [ipv4, ...mapped(ipv4)].map((address) => ({ block, address }))))(
    '$address ($block) is special-use',
    ({ address }) => {
      expect(classifyAddress(address).kind).toBe('special-use');
    },
  );

  it.each(IPV6_SPECIAL_USE.flatMap(([block, short, long]) => [short, long].map((address) => ({ block, address }))))(
    '$address ($block) is special-use, never loopback or public',
    ({ address }) => {
      expect(classifyAddress(address).kind).toBe('special-use');
    },
  );

  it.each(['127.0.0.1', '127.8.9.10', '::1', '0:0:0:0:0:0:0:1', ...mapped('127.0.0.1'), ...mapped('127.8.9.10')])('%s is loopback', (address) => {
    expect(classifyAddress(address).kind).toBe('loopback');
  });

  // Public addresses are only classified here, never contacted.
  it.each(['172.32.0.1', '8.8.8.8', ...mapped('8.8.8.8'), '2606:4700::1111'])('%s is public', (address) => {
    expect(classifyAddress(address).kind).toBe('public');
  });
});

describe('IPv4-mapped IPv6: the mapped form reaches the IPv4 address, so it is classified as that address', () => {
  it.each([
    { address: '::ffff:7f00:1', ipv4: '127.0.0.1' },
    { address: '::FFFF:127.0.0.1', ipv4: '127.0.0.1' },
    { address: '0:0:0:0:0:ffff:a00:1', ipv4: '10.0.0.1' },
    { address: '::ffff:a9fe:a9fe', ipv4: '169.254.169.254' },
  ])('$address -> $ipv4', ({ address, ipv4 }) => {
    expect(embeddedIPv4(address)).toBe(ipv4);
  });

  it.each(['64:ff9b::7f00:1', '2002:7f00:1::1', '::7f00:1', '1::ffff:7f00:1', '::1'])('%s embeds nothing this host connects to directly', (address) => {
    expect(embeddedIPv4(address)).toBeUndefined();
  });

  it.each([
    { rule: 'a literal [::ffff:127.0.0.1] on an AS that is not on loopback', url: 'https://[::ffff:127.0.0.1]/client.json', allowLoopback: false },
    { rule: 'a literal [::ffff:a00:1] (10.0.0.1)', url: 'https://[::ffff:a00:1]/client.json', allowLoopback: true },
    { rule: 'a literal [::ffff:a9fe:a9fe] (cloud metadata)', url: 'https://[::ffff:a9fe:a9fe]/client.json', allowLoopback: true },
    { rule: 'a name whose AAAA is ::ffff:7f00:1, AS not on loopback', url: 'https://mapped.test/client.json', allowLoopback: false },
    { rule: 'a name whose AAAA is NAT64 64:ff9b::7f00:1, even on a loopback AS', url: 'https://nat64.test/client.json', allowLoopback: true },
  ])('refuses $rule, before any connection', async ({ url, allowLoopback }) => {
    const dns: Record<string, string> = { 'mapped.test': '::ffff:7f00:1', 'nat64.test': '64:ff9b::7f00:1' };
    const resolveHost = async (host: string) => [{ address: dns[host] ?? '', family: 6 }];
    await expect(checkHostAddresses(new URL(url), resolveHost, allowLoopback)).rejects.toBeInstanceOf(FetchRefused);
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

describe('GET /authorize with an IPv4-mapped client_id host: refused, and the injected fetch is never called', () => {
  it.each(['https://[::ffff:a00:1]/client.json', 'https://[::ffff:10.0.0.1]/client.json', 'https://[::ffff:a9fe:a9fe]/client.json'])('%s -> shown 400 invalid_client', async (clientId) => {
    const h = await createHarness();
    const response = await authorize(h, { client_id: clientId });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    expect(h.fetched).toEqual([]);
  });
});
