import { describe, expect, it } from 'vitest';
import { formatBearerChallenge, OAuthError, oauthErrorResponse } from './oauth-error.ts';

describe('oauthErrorResponse: the one mapping from errors to HTTP', () => {
  it.each([
    ['invalid_request', 400],
    ['invalid_grant', 400],
    ['invalid_target', 400],
    ['invalid_client', 401],
    ['invalid_token', 401],
    ['insufficient_scope', 403],
    ['temporarily_unavailable', 503],
  ] as const)('answers %s with status %i and the RFC 6749 §5.2 JSON body', async (code, status) => {
    const response = oauthErrorResponse(new OAuthError(code, 'why'));
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: code, error_description: 'why' });
  });

  it('turns anything unexpected into a 500 server_error that reveals nothing', async () => {
    const response = oauthErrorResponse(new TypeError('secret detail at /home/x/file.ts:12'));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text).error).toBe('server_error');
    expect(text).not.toContain('secret detail');
    expect(text).not.toContain('file.ts');
  });

  it('redirects authorization errors with error, error_description, state and iss (RFC 6749 §4.1.2.1, RFC 9207)', () => {
    const error = new OAuthError('invalid_scope', 'unknown scope').redirectTo({
      redirect_uri: 'http://localhost:3000/callback?keep=1',
      state: 's1',
      iss: 'http://localhost:9000',
    });
    const response = oauthErrorResponse(error);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      keep: '1',
      error: 'invalid_scope',
      error_description: 'unknown scope',
      state: 's1',
      iss: 'http://localhost:9000',
    });
  });

  it('sends a Bearer challenge with the error for a bad token (RFC 6750 §3)', () => {
    const error = new OAuthError('insufficient_scope', 'needs weather:read').withChallenge({
      scope: 'mcp:connect weather:read',
      resource_metadata: 'http://localhost:8001/.well-known/oauth-protected-resource/mcp',
    });
    const response = oauthErrorResponse(error);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="needs weather:read", scope="mcp:connect weather:read", ' +
        'resource_metadata="http://localhost:8001/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('leaves the error out of the challenge when no token was sent (RFC 6750 §3.1)', async () => {
    const error = new OAuthError('invalid_token', 'no token').withChallenge({ scope: 'mcp:connect', withoutError: true });
    const response = oauthErrorResponse(error);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer scope="mcp:connect"');
    expect(await response.json()).not.toHaveProperty('error');
  });

  it('keeps a challenge a valid quoted-string whatever the description holds', () => {
    const value = formatBearerChallenge(new OAuthError('invalid_token', 'bad "quote" \\ and\nnewline'), {});
    expect(value).toBe('Bearer error="invalid_token", error_description="bad quote  andnewline"');
  });

  it.each([
    ['forbidden_origin', 403],
    ['method_not_allowed', 405],
    ['payload_too_large', 413],
  ] as const)('answers the MCP transport error %s (%i) as a JSON-RPC error without id and no challenge', async (code, status) => {
    const response = oauthErrorResponse(new OAuthError(code, 'why', { jsonRpc: true, headers: { Allow: 'POST' } }));
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'why' }, id: null });
  });

  it('escapes HTML when the error is shown to a person', async () => {
    const response = oauthErrorResponse(new OAuthError('invalid_request', '<script>x</script>'), { html: true });
    expect(response.headers.get('content-type')).toContain('text/html');
    const body = await response.text();
    expect(body).not.toContain('<script>');
    expect(body).toContain('&#60;script&#62;');
  });
});
