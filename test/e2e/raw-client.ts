/**
 * A deliberately hand-rolled MCP client for the verdict tests: plain fetch, every step
 * explicit, and each rule it breaks chosen by the test (no resource, PKCE plain, no state, a
 * token in the query string, scope overwrite on step-up, no step-up at all). It talks only to the loopback servers
 * of the test; its redirect URI is never visited (the code is read off the 302).
 */
import { createHash, randomBytes } from 'node:crypto';

export interface RawClientOptions {
  resource: string;
  issuer: string;
  name: string;
  /** Parameters of the authorization request to replace (a value) or drop (undefined). */
  authorize?: Record<string, string | undefined>;
  /** Parameters of the token request to replace or drop. */
  token?: Record<string, string | undefined>;
  tokenInQuery?: boolean;
  /** The scope to ask for on step-up (a compliant client asks for held ∪ challenged). */
  stepUpScope?: string;
  /** Stop at the 403, as a transport that handles only 401 does (@ai-sdk/mcp 2.0.99). */
  noStepUp?: boolean;
  /** Reuse this registration (a DCR client that keeps its client_id across sessions) instead of registering. */
  clientId?: string;
}

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

function withOverrides(base: Record<string, string>, overrides: Record<string, string | undefined> = {}): URLSearchParams {
  const merged: Record<string, string | undefined> = { ...base, ...overrides };
  return new URLSearchParams(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

function rpc(method: string, params: unknown = {}) {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
}

export async function runRawClient(o: RawClientOptions): Promise<{ client_id: string; outcome: string }> {
  const mcp = (body: string, token?: string) =>
    fetch(o.tokenInQuery && token ? `${o.resource}?access_token=${token}` : o.resource, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...(token && !o.tokenInQuery ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });

  // Discovery, as every client must: the challenge, the PRM, the AS metadata.
  const challenge = await mcp(rpc('tools/list'));
  const prmUrl = /resource_metadata="([^"]+)"/.exec(challenge.headers.get('www-authenticate') ?? '')?.[1];
  await (await fetch(prmUrl!)).json();
  const metadata = (await (await fetch(`${o.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;

  const registration = o.clientId ? { client_id: o.clientId } : ((await (await fetch(metadata.registration_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: o.name, redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] }),
  })).json()) as { client_id: string });
  const client_id = registration.client_id;

  const obtainToken = async (scope: string): Promise<string | undefined> => {
    const verifier = randomBytes(32).toString('base64url');
    const params = withOverrides({
      response_type: 'code', client_id, redirect_uri: REDIRECT_URI, scope, resource: o.resource, state: randomBytes(32).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    }, o.authorize);
    if (params.get('code_challenge_method') === 'plain') params.set('code_challenge', verifier);
    const answer = await fetch(`${metadata.authorization_endpoint}?${params}`, { redirect: 'manual' });
    const code = new URL(answer.headers.get('location') ?? 'http://x/').searchParams.get('code');
    if (!code) return undefined;
    const token = await fetch(metadata.token_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: withOverrides({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id, code_verifier: verifier, resource: o.resource }, o.token).toString(),
    });
    return ((await token.json()) as { access_token?: string }).access_token;
  };

  const base = await obtainToken('mcp:connect');
  if (!base) return { client_id, outcome: 'refused by the authorization server' };
  const whoami = await mcp(rpc('tools/call', { name: 'whoami', arguments: {} }), base);
  if (whoami.status !== 200) return { client_id, outcome: `whoami answered ${whoami.status}` };
  const weather = await mcp(rpc('tools/call', { name: 'get_weather', arguments: { city: 'Oslo' } }), base);
  if (weather.status !== 403) return { client_id, outcome: `get_weather answered ${weather.status}` };
  if (o.noStepUp) return { client_id, outcome: 'stopped at the 403' };
  const stepped = await obtainToken(o.stepUpScope ?? 'mcp:connect weather:read');
  const retry = stepped ? await mcp(rpc('tools/call', { name: 'get_weather', arguments: { city: 'Oslo' } }), stepped) : undefined;
  return { client_id, outcome: `step-up retry answered ${retry?.status ?? 'nothing'}` };
}
