/**
 * An optional persistent signing key: a private JWK (RFC 7517 §6.3) in a file, created on first
 * start, so that tokens issued before a restart still verify after it (same key, same `kid`).
 *
 * By default the AS generates a fresh key at every start (keys.ts): nothing secret on disk, and a
 * restart invalidates every token, which the RS notices by an unknown `kid`. With a key file
 * (`MCP_DEMO_AS_KEY_FILE`, read by serve.ts), the key outlives the process.
 *
 * The file holds a private key: it is created with mode 0600 (owner only), never overwritten,
 * and refused at load when others can read it (as ssh refuses a readable private key).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { SigningKey } from './keys.ts';

const PRIVATE_RSA_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function keyFileError(path: string, problem: string): Error {
  return new Error(`signing key file ${path}: ${problem}`);
}

async function signingKeyFromPrivateJwk(jwk: JWK, path: string): Promise<SigningKey> {
  if (jwk.kty !== 'RSA' || PRIVATE_RSA_MEMBERS.some((name) => typeof jwk[name] !== 'string')) {
    throw keyFileError(path, 'not an RSA private key in JWK form (kty "RSA" with n, e, d, p, q, dp, dq, qi)');
  }
  const publicJwk: JWK = { kty: 'RSA', n: jwk.n, e: jwk.e };
  const kid = await calculateJwkThumbprint(publicJwk);
  // Imported non-extractable: once in memory, the private key cannot be exported again.
  const privateKey = (await importJWK({ ...jwk, alg: 'RS256' }, 'RS256', { extractable: false })) as CryptoKey;
  return { kid, alg: 'RS256', privateKey, publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' } };
}

/** Loads the key in `path`, or creates it there (0600) when the file does not exist. */
export async function loadOrCreateSigningKey(path: string): Promise<SigningKey> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw keyFileError(path, `cannot be read (${(error as Error).message})`);
  }
  if (text === undefined) {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    const jwk = await exportJWK(privateKey);
    // 'wx': fail rather than overwrite if another process created it meanwhile; then load that one.
    try {
      await writeFile(path, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
      return await signingKeyFromPrivateJwk(jwk, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw keyFileError(path, `cannot be created (${(error as Error).message})`);
      text = await readFile(path, 'utf8');
    }
  }
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) {
    throw keyFileError(path, 'is readable by other users; it holds a private key (chmod 600 it)');
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw keyFileError(path, 'is not JSON (a private JWK is expected)');
  }
  return signingKeyFromPrivateJwk(jwk, path);
}
