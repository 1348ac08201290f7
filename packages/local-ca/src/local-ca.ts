/**
 * The lab's local certificate authority (`--https`): made on first use, kept in the user's cache
 * directory, reused across runs, and never installed in any trust store. Whoever wants to trust
 * it does so explicitly: our own client through its fetch dispatcher (trusting-fetch.ts), Node
 * programs through NODE_EXTRA_CA_CERTS, a browser for one session through the leaf's SPKI hash.
 *
 * The directory (`localCaDirectory`): `MCP_DEMO_CA_DIR`, else `$XDG_CACHE_HOME/mcp-auth-demo/local-ca`
 * (the XDG Base Directory spec: an absolute path, else ignored), else `~/.cache/mcp-auth-demo/local-ca`.
 * It is made 0700 and holds four files: `ca.pem` and `ca-key.pem`, `localhost.pem` and
 * `localhost-key.pem`. Both keys are written 0600 (owner only); a key that others can read is not
 * reused but replaced, since someone else may hold it.
 *
 * `loadOrCreateLocalCa` checks what is there with `node:crypto` alone (no X.509 library loaded,
 * so reusing costs a few milliseconds): the CA is a CA and valid for `CA_RENEW_DAYS` more days,
 * the leaf is signed by it, names localhost, 127.0.0.1 and ::1, is valid for `LEAF_RENEW_DAYS`
 * more days, and each key matches its certificate. Whatever fails is made again
 * (issue-certificates.ts): a new leaf under the same CA when only the leaf is wrong, else both.
 * Making happens under a lock directory, so runs started at once make one CA, not several.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ENV } from '@mcp-auth-demo/common';

/** How long a new CA and a new leaf are valid. */
export const CA_LIFETIME_DAYS = 730;
export const LEAF_LIFETIME_DAYS = 90;
/** Made again when fewer days than these are left, so no run starts on a certificate about to expire. */
export const CA_RENEW_DAYS = 30;
export const LEAF_RENEW_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A lock older than this was left by a process that died while making the CA. */
const STALE_LOCK_MS = 30_000;

/** The leaf's names, as node:crypto prints its subjectAltName. */
const LEAF_SAN = ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1'];

export interface LocalCaFiles {
  dir: string;
  /** The CA certificate: what NODE_EXTRA_CA_CERTS names. */
  caCert: string;
  caKey: string;
  /** The server certificate (the leaf) every server listens with, and its key. */
  leafCert: string;
  leafKey: string;
}

export interface LocalCa {
  files: LocalCaFiles;
  caPem: string;
  leafPem: string;
  leafKeyPem: string;
  /** base64 of SHA-256 over the leaf's SubjectPublicKeyInfo (Chromium's --ignore-certificate-errors-spki-list). */
  leafSpkiSha256: string;
  /** What this call made: nothing (all reused), a new leaf, or a new CA and leaf. */
  made: 'nothing' | 'leaf' | 'ca';
  /** When the leaf stops being valid. */
  leafValidTo: Date;
}

export interface LocalCaOptions {
  /** Default `localCaDirectory()`. */
  dir?: string;
  /** Milliseconds since the epoch (default `Date.now`); tests move it to reach the renewals. */
  now?: () => number;
}

/** Where the CA is kept (see the header). */
export function localCaDirectory(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env[ENV.caDir]) return env[ENV.caDir]!;
  const cache = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(cache, 'mcp-auth-demo', 'local-ca');
}

export function localCaFiles(dir: string): LocalCaFiles {
  return { dir, caCert: join(dir, 'ca.pem'), caKey: join(dir, 'ca-key.pem'), leafCert: join(dir, 'localhost.pem'), leafKey: join(dir, 'localhost-key.pem') };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A private key file: its PEM, or undefined when missing or readable by others (then it is replaced). */
function readKey(path: string): string | undefined {
  try {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return read(path);
}

const validFor = (certificate: X509Certificate, now: number, days: number) =>
  Date.parse(certificate.validFrom) <= now && now + days * DAY_MS < Date.parse(certificate.validTo);

function matches(certificate: X509Certificate, keyPem: string): boolean {
  try {
    return certificate.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

function parse(pem: string | undefined): X509Certificate | undefined {
  try {
    return pem ? new X509Certificate(pem) : undefined;
  } catch {
    return undefined;
  }
}

interface Found {
  ca?: { certPem: string; keyPem: string; certificate: X509Certificate };
  leaf?: { certPem: string; keyPem: string; certificate: X509Certificate };
}

/** What in the directory can be reused at `now`: the CA, and the leaf only under a reusable CA. */
function inspect(files: LocalCaFiles, now: number): Found {
  const caPem = read(files.caCert);
  const caKeyPem = readKey(files.caKey);
  const ca = parse(caPem);
  if (!ca || !caKeyPem || !ca.ca || !validFor(ca, now, CA_RENEW_DAYS) || !matches(ca, caKeyPem)) return {};
  const found: Found = { ca: { certPem: caPem!, keyPem: caKeyPem, certificate: ca } };
  const leafPem = read(files.leafCert);
  const leafKeyPem = readKey(files.leafKey);
  const leaf = parse(leafPem);
  if (!leaf || !leafKeyPem || !leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return found;
  const names = (leaf.subjectAltName ?? '').split(', ');
  if (!LEAF_SAN.every((name) => names.includes(name)) || !validFor(leaf, now, LEAF_RENEW_DAYS) || !matches(leaf, leafKeyPem)) return found;
  return { ...found, leaf: { certPem: leafPem!, keyPem: leafKeyPem, certificate: leaf } };
}

/** Writes a file whole or not at all (a temporary file renamed over it), with this mode. */
function writeAtomically(path: string, text: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(dir, '.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Removed by its owner meanwhile: try again.
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function spkiSha256(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

function result(files: LocalCaFiles, found: Required<Found>, made: LocalCa['made']): LocalCa {
  return {
    files,
    caPem: found.ca.certPem,
    leafPem: found.leaf.certPem,
    leafKeyPem: found.leaf.keyPem,
    leafSpkiSha256: spkiSha256(found.leaf.certificate),
    made,
    leafValidTo: new Date(Date.parse(found.leaf.certificate.validTo)),
  };
}

/** The CA certificate alone, for a client of the lab (`pnpm client --https`); it never makes one. */
export function readLocalCaCertificate(dir = localCaDirectory()): string {
  const { caCert } = localCaFiles(dir);
  const pem = read(caCert);
  if (!pem || !parse(pem)?.ca) throw new Error(`no lab CA at ${caCert}: pnpm serve --https (or pnpm demo --https) makes it`);
  return pem;
}

/** The lab CA and its leaf: reused when they pass every check of the header, else made (and kept). */
export async function loadOrCreateLocalCa(options: LocalCaOptions = {}): Promise<LocalCa> {
  const files = localCaFiles(options.dir ?? localCaDirectory());
  const now = options.now ?? Date.now;
  const reusable = inspect(files, now());
  if (reusable.ca && reusable.leaf) return result(files, { ca: reusable.ca, leaf: reusable.leaf }, 'nothing');

  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  return withLock(files.dir, async () => {
    // Another process may have made them while this one waited for the lock.
    const found = inspect(files, now());
    if (found.ca && found.leaf) return result(files, { ca: found.ca, leaf: found.leaf }, 'nothing');
    const { issueCertificateAuthority, issueLeaf } = await import('./issue-certificates.ts');
    const at = new Date(now());
    let made: LocalCa['made'] = 'leaf';
    let ca = found.ca;
    if (!ca) {
      const issued = await issueCertificateAuthority(at, CA_LIFETIME_DAYS);
      // Key first: a reader that sees the new certificate must find its key (it checks they match).
      writeAtomically(files.caKey, issued.keyPem, 0o600);
      writeAtomically(files.caCert, issued.certPem, 0o644);
      ca = { ...issued, certificate: new X509Certificate(issued.certPem) };
      made = 'ca';
    }
    const leaf = await issueLeaf(ca, at, LEAF_LIFETIME_DAYS);
    writeAtomically(files.leafKey, leaf.keyPem, 0o600);
    writeAtomically(files.leafCert, leaf.certPem, 0o644);
    return result(files, { ca, leaf: { ...leaf, certificate: new X509Certificate(leaf.certPem) } }, made);
  });
}
