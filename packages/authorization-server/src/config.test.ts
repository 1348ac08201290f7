import { describe, expect, it } from 'vitest';
import { createAuthorizationServer } from './app.ts';
import type { AuthorizationServerConfig } from './config.ts';
import type { SigningKey } from './tokens/keys.ts';
import { ISSUER, RESOURCE, testSigningKey } from '../testing/index.ts';

async function valid(): Promise<AuthorizationServerConfig> {
  return { issuer: ISSUER, resources: [RESOURCE], signingKey: await testSigningKey(), dangerouslyAllowLoopbackHttp: true };
}

describe('config is validated when the app is built (fail fast)', () => {
  it('a valid config builds (so every row below fails for its own reason)', async () => {
    const config = await valid();
    expect(() => createAuthorizationServer(config)).not.toThrow();
  });

  it.each<{ rule: string; change: Partial<AuthorizationServerConfig> | ((c: AuthorizationServerConfig) => AuthorizationServerConfig); message: RegExp }>([
    { rule: 'issuer not a URL', change: { issuer: 'localhost:9000' }, message: /issuer/ },
    { rule: 'issuer with a query (RFC 8414 §2)', change: { issuer: `${ISSUER}?tenant=1` }, message: /query or fragment/ },
    { rule: 'issuer with a fragment (RFC 8414 §2)', change: { issuer: `${ISSUER}#x` }, message: /query or fragment/ },
    { rule: 'http issuer on a public host', change: { issuer: 'http://as.example', dangerouslyAllowLoopbackHttp: false }, message: /https/ },
    { rule: 'http loopback issuer without the deviation flag', change: { dangerouslyAllowLoopbackHttp: false }, message: /https/ },
    { rule: 'the deviation flag with a non-loopback issuer', change: { issuer: 'https://as.example' }, message: /loopback/ },
    { rule: 'the deviation flag not set at all', change: { dangerouslyAllowLoopbackHttp: undefined as unknown as boolean }, message: /dangerouslyAllowLoopbackHttp/ },
    { rule: 'no resources', change: { resources: [] }, message: /resources/ },
    { rule: 'a resource with a fragment (RFC 8707 §2)', change: { resources: [`${RESOURCE}#f`] }, message: /fragment/ },
    { rule: 'a relative resource (RFC 8707 §2)', change: { resources: ['/mcp'] }, message: /absolute/ },
    { rule: 'empty scopesSupported', change: { scopesSupported: [] }, message: /scopesSupported/ },
    { rule: 'a scope with a space', change: { scopesSupported: ['a b'] }, message: /scope-token/ },
    { rule: 'a defaultScope not supported', change: { defaultScope: 'admin' }, message: /defaultScope/ },
    { rule: 'no signing key', change: { signingKey: undefined as never }, message: /signingKey/ },
    {
      rule: 'a public JWK with private members',
      change: (c) => {
        const key = c.signingKey as SigningKey;
        return { ...c, signingKey: { ...key, publicJwk: { ...key.publicJwk, d: 'secret' } } };
      },
      message: /private/,
    },
    { rule: 'a zero code lifetime', change: { codeTtlSeconds: 0 }, message: /codeTtlSeconds/ },
    { rule: 'a code lifetime over 10 minutes (RFC 6749 §4.1.2)', change: { codeTtlSeconds: 601 }, message: /600/ },
    { rule: 'a fractional token lifetime', change: { accessTokenTtlSeconds: 1.5 }, message: /accessTokenTtlSeconds/ },
    { rule: 'a per-resource lifetime for an unknown resource', change: { accessTokenTtlSecondsByResource: { 'http://localhost:9999/mcp': 60 } }, message: /not one of resources/ },
    { rule: 'a zero per-resource lifetime', change: { accessTokenTtlSecondsByResource: { [RESOURCE]: 0 } }, message: /accessTokenTtlSecondsByResource/ },
    { rule: 'a zero CIMD size cap', change: { cimd: { maxBytes: 0 } }, message: /cimd.maxBytes/ },
    { rule: 'dynamicClientRegistration not a boolean', change: { dynamicClientRegistration: 'yes' as unknown as boolean }, message: /dynamicClientRegistration/ },
    { rule: 'a zero registered-client bound', change: { maxRegisteredClients: 0 }, message: /maxRegisteredClients/ },
    { rule: 'a zero pending-code bound', change: { maxPendingCodes: 0 }, message: /maxPendingCodes/ },
    { rule: 'an allowed origin with a path', change: { allowedOrigins: ['http://localhost:6274/app'] }, message: /serialised origin/ },
  ])('$rule -> throws', async ({ change, message }) => {
    const base = await valid();
    const config = typeof change === 'function' ? change(base) : { ...base, ...change };
    expect(() => createAuthorizationServer(config)).toThrow(message);
  });
});
