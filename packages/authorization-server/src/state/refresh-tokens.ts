/**
 * Refresh tokens for public clients: rotated on every use, a family revoked on reuse, bounded.
 *
 * - OAuth 2.1 §4.3.1: for public clients the AS "MUST" either sender-constrain refresh tokens or
 *   use rotation; this AS rotates: every refresh answers a new refresh token and the presented
 *   one stops working ("refresh token rotation", RFC 9700 §4.14.2).
 * - RFC 9700 §4.14.2: if a refresh token that was already rotated out is presented again, one of
 *   two parties is an attacker; the AS cannot tell which, so it revokes the whole family: the
 *   current refresh token AND the access tokens the family issued (written to RevokedTokens, which
 *   the introspection endpoint reads).
 * - RFC 6749 §6: a refresh token is bound to the client it was issued to, and its scope; a refresh
 *   "MUST NOT include any scope not originally granted". RFC 8707 §2.2: a refresh may name a
 *   resource the original grant covered.
 * - Lifetimes: a family lives at most `absoluteSeconds` after the authorization that started it,
 *   and dies after `idleSeconds` without a refresh (RFC 9700 §4.14.2 lists both).
 *
 * Storage: only SHA-256 hashes of refresh tokens are kept (a leaked store yields no usable token).
 * `families` is a Map in least-recently-used order (a refresh moves its family to the end), so the
 * idle sweep drops entries from the front and stops at the first live one: O(1) amortised. It is
 * bounded (`maxFamilies`); when full, a grant simply gets no refresh token (the client authorizes
 * again later), never an error.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RevocableToken, RevokedTokens } from './revoked-tokens.ts';

/** What a refresh token family stands for: the original grant, minus what only the code needed. */
export interface RefreshGrant {
  client_id: string;
  sub: string;
  /** The scope of the original authorization; every refresh is within it. */
  scope: string;
  /** The resource of the original authorization (RFC 8707). */
  resource: string;
}

interface Family {
  id: string;
  grant: RefreshGrant;
  createdAtMs: number;
  lastUsedAtMs: number;
  /** Hash of the one refresh token of this family that is currently valid. */
  current: string;
  /** Hashes of every refresh token this family has rotated out (reuse detection). */
  rotated: string[];
  /** Access tokens the family issued and that have not expired yet: jti and expiry (ms). */
  accessTokens: RevocableToken[];
}

export type RefreshLookup =
  | { outcome: 'current'; family: Readonly<Family> }
  | { outcome: 'unknown' }
  | { outcome: 'expired'; why: 'absolute' | 'idle' }
  /** A rotated-out token came back: the family is revoked now; `revoked` counts its live access tokens. */
  | { outcome: 'reused'; client_id: string; revoked: number };

export interface RefreshTokenStoreOptions {
  now: () => number;
  absoluteSeconds: number;
  idleSeconds: number;
  maxFamilies: number;
  revoked: RevokedTokens;
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function newToken(): string {
  // 256 random bits (RFC 6749 §10.10: guessing must be infeasible).
  return randomBytes(32).toString('base64url');
}

export class RefreshTokenStore {
  readonly #families = new Map<string, Family>();
  /** Token hash (current or rotated) -> family id. */
  readonly #byToken = new Map<string, string>();
  readonly #options: RefreshTokenStoreOptions;

  constructor(options: RefreshTokenStoreOptions) {
    this.#options = options;
  }

  /** Starts a family for a fresh grant; `undefined` when the store is full (no refresh token then). */
  start(grant: RefreshGrant): { family: string; refresh_token: string } | undefined {
    this.#forgetExpired();
    if (this.#families.size >= this.#options.maxFamilies) return undefined;
    const now = this.#options.now();
    const refresh_token = newToken();
    const family: Family = {
      id: randomBytes(16).toString('base64url'),
      grant,
      createdAtMs: now,
      lastUsedAtMs: now,
      current: hash(refresh_token),
      rotated: [],
      accessTokens: [],
    };
    this.#families.set(family.id, family);
    this.#byToken.set(family.current, family.id);
    return { family: family.id, refresh_token };
  }

  /** Finds the family of a presented refresh token; a rotated-out token revokes its family at once. */
  lookup(refreshToken: string): RefreshLookup {
    this.#forgetExpired();
    const tokenHash = hash(refreshToken);
    const familyId = this.#byToken.get(tokenHash);
    const family = familyId === undefined ? undefined : this.#families.get(familyId);
    if (!family) return { outcome: 'unknown' };
    if (family.current !== tokenHash) {
      // RFC 9700 §4.14.2: reuse of an invalidated refresh token revokes the active one too.
      const revoked = this.revokeFamily(family.id);
      return { outcome: 'reused', client_id: family.grant.client_id, revoked };
    }
    const now = this.#options.now();
    const why = now >= family.createdAtMs + this.#options.absoluteSeconds * 1000 ? 'absolute' : now >= family.lastUsedAtMs + this.#options.idleSeconds * 1000 ? 'idle' : undefined;
    if (why) {
      this.#drop(family);
      return { outcome: 'expired', why };
    }
    return { outcome: 'current', family };
  }

  /** OAuth 2.1 §4.3.1: rotation. The presented token is retired; the new one is returned. */
  rotate(familyId: string): string {
    const family = this.#families.get(familyId);
    if (!family) throw new Error('rotate: no such family');
    const refresh_token = newToken();
    family.rotated.push(family.current);
    family.current = hash(refresh_token);
    this.#byToken.set(family.current, family.id);
    family.lastUsedAtMs = this.#options.now();
    // Least recently used first: a refresh moves the family to the end.
    this.#families.delete(family.id);
    this.#families.set(family.id, family);
    return refresh_token;
  }

  /** Records an access token the family issued, so revoking the family revokes it too. */
  recordAccessToken(familyId: string, token: RevocableToken): void {
    const family = this.#families.get(familyId);
    if (!family) return;
    const now = this.#options.now();
    family.accessTokens = family.accessTokens.filter(({ expiresAtMs }) => expiresAtMs > now);
    family.accessTokens.push(token);
  }

  /** Expiry (ms) of the newest access token of the family, or 0. */
  latestAccessTokenExpiry(familyId: string): number {
    return this.#families.get(familyId)?.accessTokens.at(-1)?.expiresAtMs ?? 0;
  }

  /** Revokes a family: its refresh tokens stop working and its live access tokens are revoked. Returns how many. */
  revokeFamily(familyId: string): number {
    const family = this.#families.get(familyId);
    if (!family) return 0;
    const now = this.#options.now();
    const live = family.accessTokens.filter(({ expiresAtMs }) => expiresAtMs > now);
    for (const { jti, expiresAtMs, aud } of live) this.#options.revoked.revoke(jti, expiresAtMs, aud);
    this.#drop(family);
    return live.length;
  }

  get size(): number {
    return this.#families.size;
  }

  #drop(family: Family): void {
    this.#families.delete(family.id);
    this.#byToken.delete(family.current);
    for (const old of family.rotated) this.#byToken.delete(old);
  }

  /** Drops idle or too-old families from the front (least recently used), stopping at the first live one. */
  #forgetExpired(): void {
    const now = this.#options.now();
    const { absoluteSeconds, idleSeconds } = this.#options;
    for (const family of this.#families.values()) {
      const dead = now >= family.lastUsedAtMs + idleSeconds * 1000 || now >= family.createdAtMs + absoluteSeconds * 1000;
      if (!dead) break;
      this.#drop(family);
    }
  }
}
