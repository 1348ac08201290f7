/**
 * `pnpm demo --as oidc-provider` end to end: the same journey with panva's oidc-provider as the
 * authorization server, all real processes on ephemeral loopback ports. Nothing is mocked; what
 * this test asserts is what the client and the RS saw of the other AS.
 */
import { describe, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { only, parseTrace, portFlags, runCommand } from './processes.ts';


describe('pnpm demo --as oidc-provider', () => {
  it('discovers, registers dynamically (no https CIMD on loopback), authorizes, steps up and succeeds', async () => {
    const ports = await freePorts();
    const result = await runCommand('demo', [...portFlags(ports), '--as', 'oidc-provider', '--json']);
    expect(result.exitCode).toBe(0);
    const events = parseTrace(String(result.stdout));
    const issuer = `http://localhost:${ports.as}`;
    const resource = `http://localhost:${ports.rs}/mcp`;

    // Discovery found oidc-provider's metadata: no CIMD support advertised, so DCR was chosen.
    const [metadata] = only(events, 'as_metadata.discovered');
    expect(metadata).toMatchObject({ issuer, client_id_metadata_document_supported: false, registration_endpoint: `${issuer}/reg` });
    expect(only(events, 'registration.chosen').map((e) => e.method)).toEqual(['dcr']);

    // The same step structure: 401 → token → 403 insufficient_scope → step-up → success.
    expect(only(events, 'challenge.parsed').map((c) => [c.status, c.error ?? null])).toEqual([
      [401, null],
      [403, 'insufficient_scope'],
    ]);
    // What the client received from oidc-provider: RFC 9068 JWTs for this resource, stepped up.
    expect(only(events, 'token.received').map((t) => [t.claims.aud, t.claims.scope])).toEqual([
      [resource, 'mcp:connect'],
      [resource, 'mcp:connect weather:read'],
    ]);
    // What the RS decided about them: accepted, signed by oidc-provider's published key.
    expect(only(events, 'jwks.fetched').map((e) => e.url)).toEqual([`${issuer}/jwks`]);
    expect(only(events, 'token.accepted').every((e) => e.claims.iss === issuer)).toBe(true);
    // The auto-approval is ours (a named deviation), once per authorization: the journey's two and
    // the PKCE contrast's decoy (the client can make that contrast against any AS).
    expect(only(events, 'consent.auto_approved').map((e) => e.scope)).toEqual(['mcp:connect', 'mcp:connect', 'mcp:connect weather:read']);
    // oidc-provider never redirects to an unregistered redirect_uri (RFC 6749 §4.1.2.1) and refuses
    // a code redeemed without its verifier (RFC 7636 §4.6), as ours does. No audience contrast: it
    // needs a second resource this AS issues for.
    expect(only(events, 'contrast.refused').map((e) => [e.contrast, e.by, e.status, e.error])).toEqual([
      ['redirect_uri', 'authorization-server', 400, undefined],
      ['pkce', 'authorization-server', 400, 'invalid_grant'],
    ]);
    expect(only(events, 'contrast.not_refused')).toEqual([]);

    expect(only(events, 'tool.result').map((r) => [r.name, r.isError])).toEqual([['whoami', false], ['get_weather', false]]);
    expect(events.at(-1)?.kind).toBe('journey.succeeded');
  });

  it('refuses an unknown --as value with the usage', async () => {
    const result = await runCommand('demo', ['--as', 'keycloak']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/--as must be ours or oidc-provider/);
  });
});
