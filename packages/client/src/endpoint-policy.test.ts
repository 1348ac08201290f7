/**
 * What a hostile MCP server or AS can make the client reach or open. Every refusal happens
 * before anything connects: the injected fetch is never called (and no test leaves loopback;
 * the "remote" hosts below are names resolved by a fake resolver, never looked up or contacted).
 */
import { describe, expect, it, vi } from 'vitest';
import { startBrowserCallback } from './browser-callback.ts';
import {
  checkAuthorizationServerEndpoints,
  checkBrowserUrl,
  createPolicyFetch,
  type EndpointPolicy,
} from './endpoint-policy.ts';
import { StepFailure } from './step-failure.ts';

/** A fake DNS: public-looking names, one private, one with a loopback address among others. */
const FAKE_DNS: Record<string, string[]> = {
  'mcp.example': ['8.8.8.8'],
  'as.example': ['8.8.4.4'],
  'internal.example': ['10.0.0.5'],
  'rebind.example': ['8.8.8.8', '127.0.0.1'],
};
const resolveHost = async (host: string) => {
  const found = FAKE_DNS[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address }));
};
const remote: EndpointPolicy = { serverUrl: 'https://mcp.example/mcp', resolveHost };
const local: EndpointPolicy = { serverUrl: 'http://localhost:8001/mcp', resolveHost };

function spyFetch(answer: () => Response = () => new Response('{}')) {
  return vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => answer());
}

describe('SSRF: a remote MCP server cannot point the client at loopback or the local network', () => {
  it.each([
    ['a loopback literal (POST /containers/db/kill)', 'http://127.0.0.1:2375/containers/db/kill', /loopback/],
    ['localhost by name', 'https://localhost:9000/token', /loopback/],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/x', /loopback/],
    ['IPv6 loopback', 'https://[::1]/x', /loopback/],
    ['a private-use address', 'https://10.0.0.1/admin', /10\.0\.0\.0\/8/],
    ['the cloud metadata address (link-local)', 'https://169.254.169.254/latest/meta-data', /169\.254\.0\.0\/16/],
    ['a unique-local IPv6 address', 'https://[fd00::1]/', /fc00::\/7/],
    ['a name that resolves to a private address', 'https://internal.example/', /10\.0\.0\.5/],
    ['a name with a loopback address among public ones', 'https://rebind.example/', /127\.0\.0\.1/],
    ['plain http to a host the user did not name', 'http://as.example/token', /plain http/],
    ['a file: URL', 'file:///etc/passwd', /scheme file:/],
  ])('refuses %s before connecting', async (_, url, reason) => {
    const fetch = spyFetch();
    const guarded = createPolicyFetch(fetch, remote);
    const refused = guarded(url, { method: 'POST' });
    await expect(refused).rejects.toBeInstanceOf(StepFailure);
    await expect(refused).rejects.toThrow(reason);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a redirect from a public URL to loopback, without following it', async () => {
    const fetch = spyFetch(() => new Response(null, { status: 302, headers: { location: 'http://127.0.0.1:2375/containers/db/kill' } }));
    const refused = createPolicyFetch(fetch, remote)('https://as.example/.well-known/oauth-authorization-server');
    await expect(refused).rejects.toThrow(/127\.0\.0\.1.*loopback/);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('follows a redirect between public https URLs (each hop checked)', async () => {
    let hop = 0;
    const fetch = spyFetch(() => (hop++ === 0 ? new Response(null, { status: 301, headers: { location: '/moved' } }) : new Response('{}')));
    const response = await createPolicyFetch(fetch, remote)('https://as.example/old');
    expect(response.status).toBe(200);
    expect(fetch.mock.calls.map(([url]) => String(url))).toEqual(['https://as.example/old', 'https://as.example/moved']);
  });

  it.each([
    ['https to a public host', remote, 'https://as.example/token'],
    ['http to the very origin the user named', { ...remote, serverUrl: 'http://mcp.example/mcp' }, 'http://mcp.example/.well-known/oauth-protected-resource/mcp'],
    ['loopback http when the MCP server is on loopback (the lab)', local, 'http://127.0.0.1:9000/token'],
    ['https to a public host when the MCP server is on loopback', local, 'https://as.example/token'],
  ])('allows %s', async (_, policy, url) => {
    const fetch = spyFetch();
    await createPolicyFetch(fetch, policy)(url);
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('refuses plain http to a remote AS even when the MCP server is on loopback (code and verifier in cleartext)', async () => {
    const fetch = spyFetch();
    await expect(createPolicyFetch(fetch, local)('http://as.example/token', { method: 'POST' })).rejects.toThrow(/plain http/);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('MCP "Communication Security": every AS endpoint is https unless the AS is on loopback', () => {
  const https = { issuer: 'https://as.example', authorization_endpoint: 'https://as.example/authorize', token_endpoint: 'https://as.example/token' };
  it.each([
    ['issuer', { ...https, issuer: 'http://as.example' }],
    ['authorization_endpoint', { ...https, authorization_endpoint: 'http://as.example/authorize' }],
    ['token_endpoint (the code and PKCE verifier in cleartext)', { ...https, token_endpoint: 'http://as.example/token' }],
    ['registration_endpoint', { ...https, registration_endpoint: 'http://as.example/register' }],
    ['token_endpoint with another scheme', { ...https, token_endpoint: 'ftp://as.example/token' }],
  ])('refuses a plain-http %s', (name, metadata) => {
    expect(() => checkAuthorizationServerEndpoints(metadata)).toThrow(new RegExp(`an https ${name.split(' ')[0]}`));
  });

  it('accepts https endpoints, and http ones on a loopback AS (the lab)', () => {
    expect(() => checkAuthorizationServerEndpoints(https)).not.toThrow();
    const lab = { issuer: 'http://localhost:9000', authorization_endpoint: 'http://localhost:9000/authorize', token_endpoint: 'http://127.0.0.1:9000/token' };
    expect(() => checkAuthorizationServerEndpoints(lab)).not.toThrow();
  });
});

describe('--browser opens only https URLs, or http on loopback (no scheme-handler attacks)', () => {
  it.each([
    ['file:', 'file:///etc/passwd'],
    ['search-ms: (Windows: an SMB connection that leaks the NTLM hash)', 'search-ms:query=x&crumb=location:%5C%5Cattacker.example%5Cshare'],
    ['a custom scheme handler', 'vscode://evil.extension/run?cmd=x'],
    ['javascript:', 'javascript:alert(1)'],
    ['plain http to a remote host', 'http://as.example/authorize'],
  ])('refuses %s', (_, url) => {
    expect(() => checkBrowserUrl(new URL(url))).toThrow(/refused/);
  });

  it.each([['https://as.example/authorize'], ['http://localhost:9000/authorize'], ['http://127.0.0.1:9000/authorize'], ['http://[::1]:9000/authorize']])(
    'opens %s',
    (url) => expect(() => checkBrowserUrl(new URL(url))).not.toThrow(),
  );

  it('never hands a file: authorization URL to the opener', async () => {
    const open = vi.fn();
    const callback = await startBrowserCallback({ open, timeoutMs: 1000 });
    try {
      await expect(callback.userAgent(new URL('file:///etc/passwd'), callback.redirectUri)).rejects.toThrow(/scheme file: is refused/);
      expect(open).not.toHaveBeenCalled();
    } finally {
      await callback.close();
    }
  });
});

describe('a redirect cannot carry the access token to another origin (Fetch Standard; RFC 6750 §5.1)', () => {
  const headersOfCalls = (fetch: ReturnType<typeof spyFetch>) => fetch.mock.calls.map(([url, init]) => [String(url), new Headers(init?.headers).get('authorization')]);

  it.each([
    ['a record', { authorization: 'Bearer SECRET', accept: 'text/event-stream' }],
    ['a Headers object', new Headers({ Authorization: 'Bearer SECRET' })],
    ['an array of pairs', [['Authorization', 'Bearer SECRET']] as [string, string][]],
  ])('an MCP server answering a GET with 307 to another origin: the token is not sent there (headers as %s)', async (_shape, headers) => {
    let hop = 0;
    const fetch = spyFetch(() => (hop++ === 0 ? new Response(null, { status: 307, headers: { location: 'http://127.0.0.1:5555/collect' } }) : new Response('{}')));
    await createPolicyFetch(fetch, local)('http://localhost:8001/mcp', { headers });
    expect(headersOfCalls(fetch)).toEqual([
      ['http://localhost:8001/mcp', 'Bearer SECRET'],
      ['http://127.0.0.1:5555/collect', null],
    ]);
  });

  it('a redirect on the same origin keeps it, and a later hop elsewhere still drops it', async () => {
    const answers = [
      new Response(null, { status: 302, headers: { location: '/mcp/sse' } }),
      new Response(null, { status: 302, headers: { location: 'https://as.example/elsewhere' } }),
      new Response('{}'),
    ];
    const fetch = spyFetch(() => answers.shift()!);
    await createPolicyFetch(fetch, remote)('https://mcp.example/mcp', { headers: { authorization: 'Bearer SECRET', accept: 'application/json' } });
    expect(headersOfCalls(fetch)).toEqual([
      ['https://mcp.example/mcp', 'Bearer SECRET'],
      ['https://mcp.example/mcp/sse', 'Bearer SECRET'],
      ['https://as.example/elsewhere', null],
    ]);
    expect(new Headers(fetch.mock.calls[2]![1]?.headers).get('accept')).toBe('application/json');
  });
});
