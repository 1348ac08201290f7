/**
 * The official SDK client's `OAuthClientProvider` (`@modelcontextprotocol/sdk`), driven headless:
 * everything is kept in memory, and where a person's browser would follow the authorization URL,
 * this follows it itself (one request, the AS's redirect read, not followed), checks `state`, and
 * keeps the code for `transport.finishAuth`, as the SDK's own examples do after their callback.
 * Used by the interop tests of the SDK's own `auth()` (sdk-auth-client.ts, sdk-refresh-interop).
 */
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { randomBytes } from 'node:crypto';

/** Never listened on: the provider reads the code from the AS's redirect itself. */
const REDIRECT_URI = 'http://127.0.0.1:1/callback';

export interface HeadlessSdkProviderOptions {
  clientName: string;
  /** List the refresh_token grant, which is how a client asks for refresh tokens (SEP-2207). */
  refreshTokens?: boolean;
  /** Carries the authorization request (default: the real fetch). */
  userAgentFetch?: typeof fetch;
  /** Implement the optional `invalidateCredentials` (default true): the SDK's fallbacks differ without it. */
  invalidateCredentials?: boolean;
  /** The SDK's own CIMD path: this URL is its client_id where the AS supports CIMD (sdk2-cimd-client.ts). */
  clientMetadataUrl?: string;
  /** The redirect URI (default REDIRECT_URI); with a `clientMetadataUrl`, one its document lists. */
  redirectUri?: string;
}

export class HeadlessSdkProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  /** Every token set the SDK saved, in order. */
  readonly tokenHistory: OAuthTokens[] = [];
  /** The code of the last authorization (the SDK's finishAuth redeems it). */
  code: string | undefined;
  /** The whole redirect's query (code, state, iss), for an SDK whose finishAuth checks `iss` (RFC 9207). */
  callback: URLSearchParams | undefined;
  private verifier = '';
  private lastState = '';

  /** Optional in the SDK's interface: present unless the options say `invalidateCredentials: false`. */
  invalidateCredentials?: (scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') => void;
  /** Optional in the SDK's interface: present when the options give one. */
  clientMetadataUrl?: string;

  constructor(private readonly options: HeadlessSdkProviderOptions) {
    if (options.clientMetadataUrl) this.clientMetadataUrl = options.clientMetadataUrl;
    if (options.invalidateCredentials !== false) {
      this.invalidateCredentials = (scope) => {
        if (scope === 'all' || scope === 'tokens') this.saved = undefined;
        if (scope === 'all' || scope === 'client') this.info = undefined;
      };
    }
  }

  get redirectUrl() {
    return this.options.redirectUri ?? REDIRECT_URI;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: this.options.refreshTokens ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() {
    this.lastState = randomBytes(32).toString('base64url');
    return this.lastState;
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
    this.tokenHistory.push(tokens);
  }
  /** The user agent's part: follow the authorization URL, check state, keep the code. */
  async redirectToAuthorization(url: URL) {
    const answer = await (this.options.userAgentFetch ?? fetch)(url, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location') ?? 'http://invalid/');
    if (back.searchParams.get('state') !== this.lastState) throw new Error(`state mismatch or error: ${back.search}`);
    this.code = back.searchParams.get('code') ?? undefined;
    this.callback = back.searchParams;
    if (!this.code) throw new Error(`no code: ${back.search}`);
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}
