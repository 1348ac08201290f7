/**
 * The official SDK client (`@modelcontextprotocol/sdk`: Client, StreamableHTTPClientTransport
 * and its own `auth()`), driven headless: where a person's browser would follow the
 * authorization URL, this follows it with fetch, checks `state`, and hands the code back
 * through `transport.finishAuth`, as the SDK's own examples do after their callback.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { randomBytes } from 'node:crypto';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

class HeadlessProvider implements OAuthClientProvider {
  private info?: OAuthClientInformationMixed;
  private saved?: OAuthTokens;
  private verifier = '';
  private lastState = '';
  pendingUrl?: URL;

  get redirectUrl() {
    return REDIRECT_URI;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'SDK auth() client', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none' };
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
  }
  redirectToAuthorization(url: URL) {
    this.pendingUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }

  /** The user agent's part: follow the authorization URL, check state, return the code. */
  async approve(): Promise<string> {
    const answer = await fetch(this.pendingUrl!, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location') ?? 'http://invalid/');
    if (back.searchParams.get('state') !== this.lastState) throw new Error(`state mismatch or error: ${back.search}`);
    const code = back.searchParams.get('code');
    if (!code) throw new Error(`no code: ${back.search}`);
    return code;
  }
}

/** Connects, calls whoami and get_weather (stepping up on 403) with the SDK's own auth flow. */
export async function runSdkClient(resource: string): Promise<{ client_id: string; weather: unknown }> {
  const provider = new HeadlessProvider();
  let transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
  let client = new Client({ name: 'sdk-auth-client', version: '1.0.0' });

  /** Runs `step`; on UnauthorizedError the SDK has sent us to authorize: do it, finish, retry. */
  const authorized = async <T>(step: () => Promise<T>, reconnect: boolean): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      await transport.finishAuth(await provider.approve());
      if (reconnect) {
        transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
        client = new Client({ name: 'sdk-auth-client', version: '1.0.0' });
      }
      return step();
    }
  };

  await authorized(() => client.connect(transport), true);
  await client.callTool({ name: 'whoami', arguments: {} });
  const weather = await authorized(() => client.callTool({ name: 'get_weather', arguments: { city: 'Oslo' } }), false);
  await client.close();
  return { client_id: String(provider.clientInformation()?.client_id), weather };
}
