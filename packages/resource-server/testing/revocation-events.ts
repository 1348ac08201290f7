/**
 * Test support for revocation by push: SETs signed like the AS signs them (RFC 8417), and a
 * stand-in revocation events endpoint (subscription + catch-up) on the test authorization server.
 */
import { ACCESS_TOKEN_REVOKED_EVENT, SECURITY_EVENT_MEDIA_TYPE, SECURITY_EVENT_TOKEN_TYPE } from '@mcp-auth-demo/common';
import type { Hono } from 'hono';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { TestKey } from './index.ts';

export interface SetOptions {
  key: TestKey;
  iss: string;
  aud: string;
  jti: string;
  /** The revoked token's exp, seconds. */
  exp: number;
  epoch: string;
  seq: number;
  iat: number;
  typ?: string;
}

/** A revocation SET as the AS makes it (authorization-server tokens/security-event-token.ts). */
export function signSet(options: SetOptions): Promise<string> {
  const event = { jti: options.jti, exp: options.exp, epoch: options.epoch, seq: options.seq };
  return new SignJWT({ events: { [ACCESS_TOKEN_REVOKED_EVENT]: event } })
    .setProtectedHeader({ alg: 'RS256', kid: options.key.kid, typ: options.typ ?? SECURITY_EVENT_TOKEN_TYPE })
    .setIssuer(options.iss)
    .setAudience(options.aud)
    .setIssuedAt(options.iat)
    .setJti(randomUUID())
    .sign(options.key.privateKey);
}

/** RFC 8935 §2: a SET pushed to the resource server's receiver. */
export function pushSet(app: Hono, url: string, set: string, contentType = SECURITY_EVENT_MEDIA_TYPE): Promise<Response> {
  return Promise.resolve(app.request(url, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/json' }, body: set }));
}

/** The stand-in's log: `sets[i]` has seq i + 1. Tests append, restart (new epoch), or take it down. */
export interface StandInRevocationLog {
  epoch: string;
  sets: string[];
  /** Subscription requests received (their form fields). */
  requests: Record<string, string>[];
  /** True: every request fails as if the AS were down. */
  down: boolean;
}

/** Adds `POST <issuer>/revocation-events` to the stand-in AS app; returns its log. */
export function addRevocationEvents(app: Hono, issuerPath: string, authorization: string): StandInRevocationLog {
  const log: StandInRevocationLog = { epoch: 'epoch-1', sets: [], requests: [], down: false };
  app.post(`${issuerPath}/revocation-events`, async (c) => {
    if (log.down) return c.json({ error: 'temporarily_unavailable' }, 503);
    if (c.req.header('authorization') !== authorization) return c.json({ error: 'invalid_client' }, 401);
    const fields = Object.fromEntries(new URLSearchParams(await c.req.text()));
    log.requests.push(fields);
    const cursor = fields.epoch === log.epoch ? Number(fields.cursor ?? 0) : 0;
    return c.json({ epoch: log.epoch, cursor: log.sets.length, sets: log.sets.slice(cursor) });
  });
  return log;
}
