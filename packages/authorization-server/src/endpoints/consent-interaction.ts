/**
 * The interactive path of the authorization endpoint: a person signs in, then approves or denies.
 *
 * GET /authorize (every check passed) holds the request as a PENDING AUTHORIZATION and answers
 * with the sign-in page (or the consent page, when this browser already has a sign-in session).
 * Each page's form posts to the interaction endpoint, which runs an ordered list of checks:
 *
 *   readFormBody -> checkSameOrigin -> findPending -> checkBrowserBinding -> checkCsrfToken
 *   -> sign-in (the demo account, compared in constant time) | approve (a code) | deny (access_denied)
 *
 * CSRF (RFC 6749 §10.12: the AS "MUST implement CSRF protection for its authorization endpoint";
 * the OWASP CSRF Prevention Cheat Sheet):
 * - a synchronizer token bound to the pending request, single use: it is replaced at every step;
 * - the pending request is bound to the browser that opened it, by an HttpOnly SameSite=Strict
 *   cookie, so a form posted from another site or another browser is refused;
 * - `Origin`, when the browser sends one, must be this server's.
 * A pending request is single use (approve or deny consumes it) and bounded in number and time
 * like the authorization codes (expiring-store.ts). Anything that fails these checks is SHOWN as
 * an error page, never redirected: nothing proves which client it belongs to.
 *
 * DEMO DEVIATION (named): one fixed account (`config.subject` / DEMO_PASSWORD), whose password is
 * printed on the sign-in page.
 */
import { OAuthError } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { constantTimeEqual, readFormBody } from '../request-rules.ts';
import type { ResolvedConfig } from '../config.ts';
import { respondWithCode, type AuthorizationResponseConfig, type ResponseDependencies, type ValidatedAuthorizationRequest } from './authorization-response.ts';
import { summarizeForConsent } from './consent.ts';
import { consentPage, signInPage } from '../pages/consent-page.ts';
import { ExpiringStore } from '../state/expiring-store.ts';

/** The demo account's password (the username is `config.subject`). A named deviation. */
export const DEMO_PASSWORD = 'demo-password';

/**
 * The two cookies. On an https issuer they are `Secure` and carry the `__Host-` prefix (RFC 6265bis
 * §4.1.3.2: Secure, Path=/, no Domain: no other host or subdomain can set or shadow them); hono's
 * cookie helper adds the prefix and checks its rules. On the demo's http loopback issuer neither is
 * possible; note that cookies ignore ports, so every server on `localhost` sees them (they hold
 * random ids only).
 */
const COOKIES = { browser: 'mcp_demo_as_browser', session: 'mcp_demo_as_session' } as const;
/** A sign-in lasts this long in the browser, so step-up asks only for consent. */
const SESSION_TTL_MS = 30 * 60_000;
/** What a person granted a client is remembered this long (to mark new scopes on step-up). */
const GRANT_TTL_MS = 24 * 60 * 60_000;
const MAX_SIGN_IN_FAILURES = 5;
/** An authorization URL larger than this is not held while a person decides. */
const MAX_REQUEST_URL_BYTES = 8 * 1024;

interface PendingAuthorization extends ValidatedAuthorizationRequest {
  /** The browser that opened it (the value of its browser-binding cookie). */
  browser: string;
  /** The token the next form must carry; replaced at every step. */
  csrf: string;
  /** Set once the person has signed in. */
  sub?: string;
  failures: number;
}

/** The slice of the configuration the sign-in and consent steps read, besides the response's. */
export type InteractionConfig = AuthorizationResponseConfig & Pick<ResolvedConfig, 'now' | 'subject'>;

export interface InteractionOptions extends ResponseDependencies {
  config: InteractionConfig;
  /** The interaction endpoint's absolute path (forms post there). */
  path: string;
  ttlSeconds: number;
  maxPending: number;
}

const token = () => randomBytes(32).toString('base64url');

function cookie(name: string, value: string, maxAgeMs: number, sameSite: 'Strict' | 'Lax', secure: boolean): [string, string] {
  const attributes = { path: '/', httpOnly: true, sameSite, maxAge: Math.floor(maxAgeMs / 1000), secure } as const;
  return ['Set-Cookie', generateCookie(name, value, secure ? { ...attributes, prefix: 'host' } : attributes)];
}

export class ConsentInteraction {
  readonly #options: InteractionOptions;
  readonly #pending: ExpiringStore<PendingAuthorization>;
  readonly #sessions: ExpiringStore<{ sub: string }>;
  /** `${sub} ${client_id}` -> scopes granted. */
  readonly #grants: ExpiringStore<Set<string>>;
  readonly #emit: Emit;
  readonly #secure: boolean;
  /** `host` (the `__Host-` prefix) on an https issuer, none on http. */
  readonly #cookiePrefix: 'host' | undefined;

  constructor(options: InteractionOptions) {
    const { now, issuer } = options.config;
    this.#options = options;
    this.#secure = new URL(issuer).protocol === 'https:';
    this.#cookiePrefix = this.#secure ? 'host' : undefined;
    this.#emit = options.emit;
    const max = options.maxPending;
    this.#pending = new ExpiringStore({ now, ttlMs: options.ttlSeconds * 1000, maxEntries: max, maxPerOwner: Math.max(1, Math.floor(max / 10)) });
    this.#sessions = new ExpiringStore({ now, ttlMs: SESSION_TTL_MS, maxEntries: max, maxPerOwner: max });
    this.#grants = new ExpiringStore({ now, ttlMs: GRANT_TTL_MS, maxEntries: max });
  }

  /** GET /authorize, every check passed, a person to ask: hold the request and show a page. */
  begin(c: Context, request: ValidatedAuthorizationRequest): Response {
    // The held request is bounded in size as well as in number (MAX_REQUEST_URL_BYTES).
    if (c.req.url.length > MAX_REQUEST_URL_BYTES) {
      throw new OAuthError('invalid_request', `The authorization request is larger than ${MAX_REQUEST_URL_BYTES} bytes; it is not held for consent.`);
    }
    let browser = getCookie(c, COOKIES.browser, this.#cookiePrefix);
    if (!browser || !/^[A-Za-z0-9_-]{43}$/.test(browser)) browser = token();
    // Set again each time, so the cookie outlives this (the newest) pending request.
    const headers: [string, string][] = [cookie(COOKIES.browser, browser, this.#options.ttlSeconds * 1000, 'Strict', this.#secure)];
    const sub = this.#signedIn(c);
    const id = token();
    const pending: PendingAuthorization = { ...request, browser, csrf: token(), failures: 0, ...(sub && { sub }) };
    const refusal = this.#pending.add(id, pending, request.client.client_id);
    if (refusal) {
      throw new OAuthError(
        'temporarily_unavailable',
        `Too many authorization requests are waiting for a person${refusal === 'owner-full' ? ' for this client' : ''}; try again when some have expired.`,
      );
    }
    const summary = summarizeForConsent(request.client, request.redirect_uri);
    this.#emit('consent.requested', {
      client_id: request.client.client_id,
      scope: request.scope,
      ...summary,
      sign_in: sub === undefined,
      spec: 'CIMD §6.4 client_id host; MCP: warn on loopback-only redirect URIs',
    });
    return sub ? this.#consentPage(id, pending, headers) : this.#signInPage(id, pending, headers);
  }

  /** POST to the interaction endpoint: the ordered checks of the header. */
  async handle(c: Context): Promise<Response> {
    // The forms post application/x-www-form-urlencoded (HTML §4.10.21.7); nothing else is a form of ours.
    const form = await readFormBody(c, 'The sign-in and consent forms post application/x-www-form-urlencoded.');
    this.#checkSameOrigin(c);
    const id = form.get('interaction') ?? '';
    const pending = this.#findPending(id);
    this.#checkBrowserBinding(c, pending);
    this.#checkCsrfToken(form, pending);
    pending.csrf = token(); // single use: the token just checked is spent

    const action = form.get('action');
    if (action === 'sign-in') return this.#signIn(id, pending, form);
    if (action === 'approve' && pending.sub) return this.#approve(id, pending, pending.sub);
    if (action === 'deny') return this.#deny(id, pending);
    throw new OAuthError('invalid_request', `Unexpected form action "${action ?? ''}" at this step.`);
  }

  /** Whether this browser is signed in, and as whom (authorize.ts: an error is redirected only then). */
  signedInSubject(c: Context): string | undefined {
    return this.#signedIn(c);
  }

  /** The subject of this browser's sign-in session, if it has a live one. */
  #signedIn(c: Context): string | undefined {
    const session = getCookie(c, COOKIES.session, this.#cookiePrefix);
    return session ? this.#sessions.get(session)?.sub : undefined;
  }

  // Cross-site forms: a browser sends Origin with every POST; when present it must be ours.
  #checkSameOrigin(c: Context): void {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(this.#options.config.issuer).origin) {
      throw new OAuthError('invalid_request', `This form was posted from ${origin}, not from this server's own page (cross-site request refused).`, { status: 403 });
    }
  }

  #findPending(id: string): PendingAuthorization {
    const pending = id ? this.#pending.get(id) : undefined;
    if (!pending) {
      throw new OAuthError('invalid_request', 'This sign-in or consent request is unknown, expired or already answered.');
    }
    return pending;
  }

  // The pending request belongs to the browser that opened it (HttpOnly SameSite=Strict cookie).
  #checkBrowserBinding(c: Context, pending: PendingAuthorization): void {
    const browser = getCookie(c, COOKIES.browser, this.#cookiePrefix);
    if (!browser || !constantTimeEqual(browser, pending.browser)) {
      throw new OAuthError('invalid_request', 'This form was not posted by the browser that opened the request (cookie missing or different).', { status: 403 });
    }
  }

  // The synchronizer token of the page this form came from: present, equal, and not yet spent.
  #checkCsrfToken(form: URLSearchParams, pending: PendingAuthorization): void {
    const csrf = form.get('csrf');
    if (!csrf || !constantTimeEqual(csrf, pending.csrf)) {
      throw new OAuthError('invalid_request', 'The form\'s CSRF token is missing, wrong or already used.', { status: 403 });
    }
  }

  #signIn(id: string, pending: PendingAuthorization, form: URLSearchParams): Response {
    const { subject } = this.#options.config;
    const ok = constantTimeEqual(form.get('username') ?? '', subject) && constantTimeEqual(form.get('password') ?? '', DEMO_PASSWORD);
    if (!ok) {
      pending.failures += 1;
      this.#emit('signin.failed', { attempt: pending.failures, max: MAX_SIGN_IN_FAILURES });
      if (pending.failures >= MAX_SIGN_IN_FAILURES) {
        this.#pending.delete(id);
        // Shown, not redirected: nobody is authenticated (RFC 9700 §4.11.2, as in authorize.ts).
        throw new OAuthError('access_denied', `Sign-in failed ${MAX_SIGN_IN_FAILURES} times; the request was abandoned. Nobody signed in, so this server does not send the browser on to the application's redirect URI.`, { status: 403 });
      }
      return this.#signInPage(id, pending, [], 'Wrong username or password.');
    }
    pending.sub = subject;
    const session = token();
    const headers: [string, string][] = [];
    if (!this.#sessions.add(session, { sub: subject }, subject)) headers.push(cookie(COOKIES.session, session, SESSION_TTL_MS, 'Lax', this.#secure));
    this.#emit('signin.succeeded', { sub: subject, spec: 'DEVIATION: one fixed demo account' });
    return this.#consentPage(id, pending, headers);
  }

  #approve(id: string, pending: PendingAuthorization, sub: string): Response {
    this.#pending.delete(id); // single use
    const { client, scope } = pending;
    const key = `${sub} ${client.client_id}`;
    const granted = this.#grants.get(key) ?? new Set<string>();
    const requested = scope.split(' ');
    const newScopes = requested.filter((s) => !granted.has(s));
    this.#grants.add(key, new Set([...granted, ...requested]));
    this.#emit('consent.approved', {
      client_id: client.client_id,
      sub,
      scope,
      new_scopes: newScopes,
      spec: 'RFC 6749 §4.1.1: the AS obtains an authorization decision from the resource owner',
    });
    return respondWithCode(pending, sub, this.#options);
  }

  #deny(id: string, pending: PendingAuthorization): never {
    this.#pending.delete(id); // single use
    this.#emit('consent.denied', {
      client_id: pending.client.client_id,
      ...(pending.sub && { sub: pending.sub }),
      scope: pending.scope,
      spec: 'RFC 6749 §4.1.2.1 access_denied, redirected with state; RFC 9207 §2 iss',
    });
    throw this.#redirect(pending, new OAuthError('access_denied', pending.sub ? 'The user denied the request.' : 'The user cancelled the sign-in.'));
  }

  /** RFC 6749 §4.1.2.1: the error goes back to the client's redirect URI with state; RFC 9207: iss. */
  #redirect(pending: PendingAuthorization, error: OAuthError): OAuthError {
    return error.redirectTo({ redirect_uri: pending.redirect_uri, state: pending.state, iss: this.#options.config.issuer });
  }

  #signInPage(id: string, pending: PendingAuthorization, headers: [string, string][], problem?: string): Response {
    return signInPage({
      action: this.#options.path,
      interaction: id,
      csrf: pending.csrf,
      client: pending.client,
      redirectUri: pending.redirect_uri,
      demoUsername: this.#options.config.subject,
      demoPassword: DEMO_PASSWORD,
      plainHttp: !this.#secure,
      headers,
      ...(problem && { problem }),
    });
  }

  #consentPage(id: string, pending: PendingAuthorization, headers: [string, string][]): Response {
    const sub = pending.sub!;
    const granted = this.#grants.get(`${sub} ${pending.client.client_id}`) ?? new Set<string>();
    return consentPage(
      {
        action: this.#options.path,
        interaction: id,
        csrf: pending.csrf,
        client: pending.client,
        summary: summarizeForConsent(pending.client, pending.redirect_uri),
        redirectUri: pending.redirect_uri,
        resource: pending.resource,
        scopes: pending.scope.split(' ').map((scope) => ({ scope, isNew: !granted.has(scope) })),
        sub,
        plainHttp: !this.#secure,
      },
      headers,
    );
  }
}

