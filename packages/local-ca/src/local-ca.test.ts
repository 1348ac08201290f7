import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CA_LIFETIME_DAYS, LEAF_LIFETIME_DAYS, LEAF_RENEW_DAYS, loadOrCreateLocalCa, localCaDirectory, type LocalCa } from './local-ca.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const freshDir = () => join(mkdtempSync(join(tmpdir(), 'local-ca-')), 'ca');
const mode = (path: string) => statSync(path).mode & 0o777;
const certificate = (path: string) => new X509Certificate(readFileSync(path));

describe('the lab CA, made on first use', () => {
  it('makes a CA and a leaf in a directory of its own (0700), both keys owner-only (0600)', async () => {
    const ca = await loadOrCreateLocalCa({ dir: freshDir() });
    expect(ca.made).toBe('ca');
    expect(mode(ca.files.dir)).toBe(0o700);
    expect(mode(ca.files.caKey)).toBe(0o600);
    expect(mode(ca.files.leafKey)).toBe(0o600);
    expect(mode(ca.files.caCert)).toBe(0o644);
  });

  it('the CA is a CA for loopback names only; the leaf is signed by it for localhost, 127.0.0.1 and ::1', async () => {
    const { files, leafSpkiSha256 } = await loadOrCreateLocalCa({ dir: freshDir() });
    const ca = certificate(files.caCert);
    const leaf = certificate(files.leafCert);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    // node:crypto's own name checks agree with the SAN.
    expect([leaf.checkHost('localhost'), leaf.checkIP('127.0.0.1'), leaf.checkIP('::1')]).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(leaf.checkHost('example.com')).toBeUndefined();
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extKeyUsage serverAuth
    expect(Buffer.from(leafSpkiSha256, 'base64')).toHaveLength(32);
    const days = (c: X509Certificate) => Math.round((Date.parse(c.validTo) - Date.now()) / DAY_MS);
    expect(days(ca)).toBe(CA_LIFETIME_DAYS);
    expect(days(leaf)).toBe(LEAF_LIFETIME_DAYS);
  });

  it('is reused across runs: the same files, nothing made, no X.509 library needed', async () => {
    const dir = freshDir();
    const first = await loadOrCreateLocalCa({ dir });
    const started = performance.now();
    const again = await loadOrCreateLocalCa({ dir });
    expect(again.made).toBe('nothing');
    expect([again.caPem, again.leafPem, again.leafKeyPem]).toEqual([first.caPem, first.leafPem, first.leafKeyPem]);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('runs started at once make one CA, not several', async () => {
    const dir = freshDir();
    const all = await Promise.all([1, 2, 3].map(() => loadOrCreateLocalCa({ dir })));
    expect(new Set(all.map((ca) => ca.caPem)).size).toBe(1);
    expect(all.filter((ca) => ca.made === 'ca')).toHaveLength(1);
  });
});

describe('what is not reused', () => {
  const made = async (change: (ca: LocalCa) => void, now?: () => number) => {
    const dir = freshDir();
    const first = await loadOrCreateLocalCa({ dir });
    change(first);
    const next = await loadOrCreateLocalCa({ dir, ...(now && { now }) });
    return { first, next };
  };

  it(`a leaf with fewer than ${LEAF_RENEW_DAYS} days left: a new leaf under the same CA`, async () => {
    const later = Date.now() + (LEAF_LIFETIME_DAYS - LEAF_RENEW_DAYS + 1) * DAY_MS;
    const { first, next } = await made(() => {}, () => later);
    expect(next.made).toBe('leaf');
    expect(next.caPem).toBe(first.caPem);
    expect(next.leafValidTo.getTime()).toBeGreaterThan(first.leafValidTo.getTime());
  });

  it('an expired CA: a new CA and a new leaf', async () => {
    const { first, next } = await made(() => {}, () => Date.now() + CA_LIFETIME_DAYS * DAY_MS);
    expect(next.made).toBe('ca');
    expect(next.caPem).not.toBe(first.caPem);
  });

  it('a CA key that others can read is replaced, never reused (someone else may hold it)', async () => {
    const { first, next } = await made((ca) => chmodSync(ca.files.caKey, 0o644));
    expect(next.made).toBe('ca');
    expect(next.caPem).not.toBe(first.caPem);
    expect(mode(next.files.caKey)).toBe(0o600);
  });

  it('a leaf key that others can read: a new leaf', async () => {
    const { next } = await made((ca) => chmodSync(ca.files.leafKey, 0o640));
    expect(next.made).toBe('leaf');
    expect(mode(next.files.leafKey)).toBe(0o600);
  });

  it.each([
    ['the leaf replaced by the CA certificate', (ca: LocalCa) => writeFileSync(ca.files.leafCert, ca.caPem)],
    ['the leaf key replaced by the CA key', (ca: LocalCa) => writeFileSync(ca.files.leafKey, readFileSync(ca.files.caKey))],
    ['the leaf file garbled', (ca: LocalCa) => writeFileSync(ca.files.leafCert, 'not a certificate')],
  ])('%s: a new leaf', async (_what, change) => {
    const { next } = await made(change);
    expect(next.made).toBe('leaf');
    expect(certificate(next.files.leafCert).checkIssued(certificate(next.files.caCert))).toBe(true);
  });
});

describe('where it is kept', () => {
  it.each([
    [{ MCP_DEMO_CA_DIR: '/tmp/x' }, '/tmp/x'],
    [{ XDG_CACHE_HOME: '/var/cache/me' }, '/var/cache/me/mcp-auth-demo/local-ca'],
    // XDG Base Directory: a relative path is invalid and ignored.
    [{ XDG_CACHE_HOME: 'relative' }, '/home/me/.cache/mcp-auth-demo/local-ca'],
    [{}, '/home/me/.cache/mcp-auth-demo/local-ca'],
  ])('%j -> %s', (env, dir) => {
    expect(localCaDirectory(env, '/home/me')).toBe(dir);
  });
});
