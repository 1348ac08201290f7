/**
 * The key that signs access tokens, and the JWK Set that publishes its public half.
 *
 * - RFC 9068 §2.1: "JWT access tokens MUST be signed", and authorization and resource servers
 *   "MUST include RS256 ... among their supported signature algorithms".
 * - RFC 7517 §5: the JWK Set served at the metadata's `jwks_uri` (RFC 8414 §2).
 * - RFC 7638: the `kid` is the key's thumbprint, so it names exactly this key.
 */
import { ConfigError } from '@mcp-auth-demo/common';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** The signing key of an authorization server: give it to `createAuthorizationServer`. */
export interface SigningKey {
  /** Key ID: carried in every token header so a resource server picks the right JWKS entry. */
  kid: string;
  alg: 'RS256';
  /** Private half; generated non-extractable, so it cannot be exported even by mistake. */
  privateKey: CryptoKey;
  /** Public half as a JWK (`kty`, `n`, `e`, `kid`, `alg`, `use`). */
  publicJwk: JWK;
}

/** Generates a fresh RS256 key pair. Async, so the app factory itself can stay synchronous. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: false });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, alg: 'RS256', privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

/** The members of an RSA public JWK. Anything else (`d`, `p`, `q`, `dp`, `dq`, `qi`) is private. */
const PUBLIC_RSA_MEMBERS = ['kty', 'n', 'e', 'kid', 'alg', 'use'] as const;

/** True when the JWK carries a private member: such a key must never be published. */
export function hasPrivateMembers(jwk: JWK): boolean {
  return Object.keys(jwk).some((name) => !(PUBLIC_RSA_MEMBERS as readonly string[]).includes(name));
}

/** A key given to the configuration is one of ours, with no private member in its public half. */
export function checkSigningKey(key: SigningKey): SigningKey {
  if (!key || key.alg !== 'RS256' || !key.kid || !key.privateKey || !key.publicJwk) {
    throw new ConfigError('signingKey must come from generateSigningKey() or loadOrCreateSigningKey() (RS256 with a kid)');
  }
  if (hasPrivateMembers(key.publicJwk)) throw new ConfigError('signingKey.publicJwk contains private key material');
  return key;
}

/**
 * The JWK Set served at `jwks_uri` (RFC 7517 §5). Built from an allow-list of public members,
 * so a private parameter can never reach the wire even if one slipped into `publicJwk`.
 */
export function jwksDocument(key: SigningKey): { keys: JWK[] } {
  const publicJwk: JWK = {};
  for (const name of PUBLIC_RSA_MEMBERS) {
    const value = key.publicJwk[name];
    if (value !== undefined) publicJwk[name] = value;
  }
  return { keys: [publicJwk] };
}
