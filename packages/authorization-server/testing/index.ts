/**
 * Test fixtures for this package (not exported from index.ts): an authorization server wired to
 * an in-process client host (a Hono app serving metadata documents), a stub DNS resolver and a
 * clock the test moves by hand. No port is opened and no real address is ever contacted: the
 * injected fetch hands every request to the client host's `app.request`.
 */
import { DEFAULT_ISSUER, DEFAULT_RESOURCE } from '@mcp-auth-demo/common';
import { type TraceEvent } from '@mcp-auth-demo/trace';
import { Hono } from 'hono';
import { expect } from 'vitest';
import { createAuthorizationServer, type AuthorizationServerApp } from '../src/app.ts';
import type { AuthorizationServerConfig } from '../src/config.ts';
import { generateSigningKey, type SigningKey } from '../src/tokens/keys.ts';

export const ISSUER = DEFAULT_ISSUER; // http://localhost:9000
export const RESOURCE = DEFAULT_RESOURCE; // http://localhost:8001/mcp
export const CLIENT_BASE = 'http://localhost:3000';
export const CLIENT_ID = `${CLIENT_BASE}/client-metadata.json`;
export const REDIRECT_URI = `${CLIENT_BASE}/callback`;

/** RFC 7636 Appendix B: this verifier's S256 challenge is the value below. */
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

let sharedKey: Promise<SigningKey> | undefined;
/** One RSA key for the whole test file (generating one takes a while). */
export function testSigningKey(): Promise<SigningKey> {
  sharedKey ??= generateSigningKey();
  return sharedKey;
}

/** A valid metadata document for the client whose `client_id` is `clientId`. */
export function clientDocument(clientId = CLIENT_ID, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: clientId,
    client_name: 'Test MCP Client',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...overrides,
  };
}

export interface HarnessOptions {
  /** Extra routes on the client host (every host name resolves to it). */
  routes?: (host: Hono) => void;
  /** Host name -> addresses for the stub resolver. Default: localhost -> 127.0.0.1. */
  addresses?: Record<string, string[]>;
  config?: Partial<AuthorizationServerConfig>;
}

export interface Harness {
  app: AuthorizationServerApp;
  /** Every URL the AS fetched, in order. */
  fetched: string[];
  /** Every host name the AS resolved, in order. */
  resolved: string[];
  events: TraceEvent[];
  /** Moves the injected clock forward. */
  advance(ms: number): void;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const host = new Hono();
  host.get('/client-metadata.json', (c) => c.json(clientDocument()));
  options.routes?.(host);

  const addresses: Record<string, string[]> = { localhost: ['127.0.0.1'], ...options.addresses };
  const fetched: string[] = [];
  const resolved: string[] = [];
  const events: TraceEvent[] = [];
  let nowMs = Date.UTC(2025, 10, 25, 12, 0, 0);

  const app = createAuthorizationServer({
    issuer: ISSUER,
    resources: [RESOURCE],
    signingKey: await testSigningKey(),
    dangerouslyAllowLoopbackHttp: true,
    fetch: (url, init) => {
      fetched.push(url);
      return host.request(url, init);
    },
    resolveHost: async (hostname) => {
      resolved.push(hostname);
      const found = addresses[hostname];
      if (!found) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
    now: () => nowMs,
    onEvent: (event) => events.push(event),
    ...options.config,
  });
  return { app, fetched, resolved, events, advance: (ms) => (nowMs += ms) };
}

/** The parameters of a valid authorization request; `overrides` set (string) or drop (undefined). */
export function authorizationParams(overrides: Record<string, string | undefined> = {}): URLSearchParams {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    resource: RESOURCE,
    scope: 'mcp:connect',
    state: 'state-123',
    ...overrides,
  };
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) search.append(name, value);
  return search;
}

export function authorize(h: Harness, overrides: Record<string, string | undefined> = {}, headers: Record<string, string> = {}) {
  return h.app.request(`${ISSUER}/authorize?${authorizationParams(overrides)}`, { headers });
}

/** Runs a successful authorization and returns the code from the redirect. */
export async function obtainCode(h: Harness, overrides: Record<string, string | undefined> = {}): Promise<string> {
  const response = await authorize(h, overrides);
  const location = response.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (response.status !== 302 || !code) throw new Error(`authorization failed: ${response.status} ${location ?? (await response.text())}`);
  return code;
}

/** The fields of a valid token request for `code`; `overrides` set (string) or drop (undefined). */
export function tokenFields(code: string, overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT_ID,
    code_verifier: VERIFIER,
    resource: RESOURCE,
    ...overrides,
  };
}

export function requestToken(h: Harness, fields: Record<string, string | undefined>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.append(name, value);
  return h.app.request(`${ISSUER}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: body.toString(),
  });
}

/** A valid RFC 7591 registration request for a public client; `overrides` set members (undefined drops one). */
export function registrationRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    client_name: 'Registered Test Client',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...overrides,
  };
  for (const [name, value] of Object.entries(body)) if (value === undefined) delete body[name];
  return body;
}

/** POST /register; `body` is sent as JSON unless it is already a string. */
export function register(h: Harness, body: unknown = registrationRequest(), headers: Record<string, string> = {}) {
  return h.app.request(`${ISSUER}/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Registers a client and returns its client_id (throws unless the answer is 201). */
export async function registerClient(h: Harness, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await register(h, registrationRequest(overrides));
  const body = (await response.json()) as { client_id?: unknown };
  if (response.status !== 201 || typeof body.client_id !== 'string') throw new Error(`registration failed: ${response.status} ${JSON.stringify(body)}`);
  return body.client_id;
}

/** A stack frame ("    at fn (file.ts:1:2)") anywhere in a body means a leak. */
export const STACK_FRAME = /\bat\s+\S*\s*\(?[^()\s]+:\d+:\d+\)?/;

/** An error SHOWN to the person (RFC 6749 §4.1.2.1: never redirected), as JSON, with no stack trace. */
export async function expectShownError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expect(JSON.parse(text)).toMatchObject({ error });
  expect(text).not.toMatch(STACK_FRAME);
}

/** Observations of what a request asked for (observations.ts), as opposed to decisions. */
const OBSERVATIONS = new Set(['authorization.received', 'token.requested', 'as_metadata.served']);

/** The kinds of the decisions recorded, in order (observations of what arrived are left out). */
export function kinds(h: Harness): string[] {
  return h.events.map((event) => event.kind).filter((kind) => !OBSERVATIONS.has(kind));
}
