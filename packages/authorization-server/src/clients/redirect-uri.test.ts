import { describe, expect, it } from 'vitest';
import { matchRedirectUri, redirectUriProblem } from './redirect-uri.ts';

describe('redirect URI matching: exact, or a loopback port variant (RFC 9700 §4.1.3, RFC 8252 §7.3)', () => {
  const registered = ['http://localhost:3000/callback', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'https://app.example/cb'];
  it.each([
    { requested: 'http://localhost:3000/callback', match: true },
    { requested: 'https://app.example/cb', match: true },
    { requested: 'http://localhost:51000/callback', match: true },
    { requested: 'http://localhost/callback', match: true },
    { requested: 'http://127.0.0.1:1234/cb', match: true },
    { requested: 'http://[::1]:4567/cb', match: true },
    { requested: 'https://app.example:8443/cb', match: false }, // not loopback: the port is part of the exact match
    { requested: 'https://app.example/cb/', match: false },
    { requested: 'https://APP.example/cb', match: false },
    { requested: 'http://localhost:3000/callback/', match: false },
    { requested: 'http://localhost:3000/callback?x=1', match: false },
    { requested: 'http://localhost:3000/Callback', match: false },
    { requested: 'http://127.0.0.1:3000/callback', match: false }, // another loopback host than registered
    { requested: 'http://user@localhost:3000/callback', match: false },
    { requested: 'https://localhost:3000/callback', match: false }, // scheme differs
    { requested: 'http://localhost:3000/x/../callback', match: false },
  ])('$requested -> $match', ({ requested, match }) => {
    expect(matchRedirectUri(requested, registered)).toBe(match ? requested : undefined);
  });
});

describe('registrable redirect URIs (MCP: localhost or https; RFC 6749 §3.1.2)', () => {
  it.each([
    { uri: 'https://app.example/cb', ok: true },
    { uri: 'http://localhost:3000/callback', ok: true },
    { uri: 'http://127.0.0.1/cb', ok: true },
    { uri: 'http://app.example/cb', ok: false },
    { uri: 'https://app.example/cb#frag', ok: false },
    { uri: '/callback', ok: false },
    { uri: 'javascript:alert(1)', ok: false },
    { uri: 'com.example.app:/callback', ok: false }, // private-use schemes (RFC 8252 §7.1) not supported yet
  ])('$uri -> $ok', ({ uri, ok }) => {
    expect(redirectUriProblem(uri) === undefined).toBe(ok);
  });
});
