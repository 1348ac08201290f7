import { createEmitter, type TraceEvent } from '@mcp-auth-demo/trace';
import { inProcessFetch } from '@mcp-auth-demo/common/testing';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AuthorizationServerMetadata } from './discovery.ts';
import { obtainClientCredentials, type RegistrationOptions } from './registration.ts';

const AS = 'http://as.localhost:9000';
const CIMD_URL = 'http://localhost:3000/client-metadata.json';
const base: RegistrationOptions = { redirectUri: 'http://localhost:3000/callback', clientName: 'Test client', clientMetadataUrl: CIMD_URL };

function metadata(extra: Partial<AuthorizationServerMetadata> = {}): AuthorizationServerMetadata {
  return { issuer: AS, authorization_endpoint: `${AS}/authorize`, token_endpoint: `${AS}/token`, code_challenge_methods_supported: ['S256'], ...extra };
}

/** A foreign registration endpoint answering with `answer`, recording what it was sent. */
function registrationEndpoint(status: number, answer: Record<string, unknown>) {
  const received: unknown[] = [];
  const app = new Hono().post('/register', async (c) => {
    received.push(await c.req.json());
    return c.json(answer, status as 201);
  });
  return { app, received };
}

function run(meta: AuthorizationServerMetadata, options: RegistrationOptions, app = new Hono(), serverUrl?: string) {
  const events: TraceEvent[] = [];
  const ctx = { fetch: inProcessFetch({ [AS]: app }), emit: createEmitter('client', (e) => events.push(e)), ...(serverUrl && { serverUrl }) };
  return { result: obtainClientCredentials(meta, options, ctx), events };
}

describe('client registration in the MCP order: pre-registered, CIMD, DCR', () => {
  it.each([
    ['basic when supported', ['client_secret_basic', 'client_secret_post'], 'client_secret_basic'],
    ['post when basic is not supported', ['client_secret_post'], 'client_secret_post'],
    ['basic when the AS does not say (RFC 8414 §2 default)', undefined, 'client_secret_basic'],
  ] as const)('uses pre-registered credentials first, authenticating with %s', async (_, supported, method) => {
    const meta = metadata({
      client_id_metadata_document_supported: true,
      registration_endpoint: `${AS}/register`,
      ...(supported && { token_endpoint_auth_methods_supported: [...supported] }),
    });
    const { result, events } = run(meta, { ...base, clientId: 'pre', clientSecret: 'shh', issuer: AS });
    expect(await result).toEqual({ client_id: 'pre', client_secret: 'shh', token_endpoint_auth_method: method });
    expect(events[0]).toMatchObject({ kind: 'registration.chosen', method: 'pre-registered' });
  });

  it.each([
    ['an AS other than the --issuer named', { issuer: 'https://as.example' }, undefined],
    ['an AS on another host than the MCP server, when no --issuer was named', {}, 'http://mcp.localhost:8001/mcp'],
    ['any AS when neither an --issuer nor the MCP server is known', {}, undefined],
  ])('secret exfiltration: never sends --client-secret to %s', async (_, named, serverUrl) => {
    const { result, events } = run(metadata(), { ...base, clientId: 'pre', clientSecret: 'shh', ...named }, new Hono(), serverUrl);
    await expect(result).rejects.toThrow(/the secret is not sent to it|belong to another AS/);
    expect(events).toEqual([]);
  });

  it('issuer binding: a --client-id named for one issuer is not used with another AS (SEP-2352)', async () => {
    const { result } = run(metadata(), { ...base, clientId: 'pre', issuer: 'https://as.example' });
    await expect(result).rejects.toThrow(/belong to another AS/);
  });

  it('says loudly where the secret goes when it is allowed (an AS on the MCP server host)', async () => {
    const { result, events } = run(metadata(), { ...base, clientId: 'pre', clientSecret: 'shh' }, new Hono(), 'http://as.localhost:8001/mcp');
    expect(await result).toMatchObject({ client_secret: 'shh' });
    expect(events[0]).toMatchObject({ kind: 'registration.chosen', why: expect.stringContaining(`CLIENT SECRET WILL BE SENT to ${AS}/token`) });
  });

  it('treats a pre-registered client without a secret as public (auth method none)', async () => {
    const { result } = run(metadata(), { ...base, clientId: 'pre' });
    expect(await result).toEqual({ client_id: 'pre', token_endpoint_auth_method: 'none' });
  });

  it('fails clearly when the AS supports no secret-based method for a confidential client', async () => {
    const { result } = run(metadata({ token_endpoint_auth_methods_supported: ['none'] }), { ...base, clientId: 'pre', clientSecret: 'x', issuer: AS });
    await expect(result).rejects.toThrow(/client_secret_basic or client_secret_post/);
  });

  it('uses the metadata document URL as client_id when the AS supports CIMD, without registering', async () => {
    const endpoint = registrationEndpoint(201, { client_id: 'should-not-be-used' });
    const meta = metadata({ client_id_metadata_document_supported: true, registration_endpoint: `${AS}/register` });
    const { result } = run(meta, base, endpoint.app);
    expect(await result).toEqual({ client_id: CIMD_URL, token_endpoint_auth_method: 'none' });
    expect(endpoint.received).toEqual([]);
  });

  it('does not offer a loopback metadata document to an AS that is not on loopback (it could not fetch it)', async () => {
    const endpoint = registrationEndpoint(201, { client_id: 'dyn-remote', token_endpoint_auth_method: 'none' });
    const remote = 'https://as.example';
    const meta = { ...metadata({ client_id_metadata_document_supported: true }), issuer: remote, registration_endpoint: `${AS}/register` };
    const { result } = run(meta, base, endpoint.app);
    expect((await result).client_id).toBe('dyn-remote');
  });

  it.each([
    ['the AS does not support CIMD', metadata({ registration_endpoint: `${AS}/register` }), base],
    ['DCR is preferred', metadata({ client_id_metadata_document_supported: true, registration_endpoint: `${AS}/register` }),
      { ...base, preferDynamicRegistration: true }],
  ])('registers dynamically (RFC 7591) when %s', async (_, meta, options) => {
    const endpoint = registrationEndpoint(201, { client_id: 'dyn-1', token_endpoint_auth_method: 'none' });
    const { result, events } = run(meta, options, endpoint.app);
    expect(await result).toEqual({ client_id: 'dyn-1', token_endpoint_auth_method: 'none' });
    expect(endpoint.received).toEqual([{
      client_name: 'Test client',
      redirect_uris: ['http://localhost:3000/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    }]);
    expect(events.find((e) => e.kind === 'registration.chosen')).toMatchObject({ method: 'dcr' });
    expect(events.map((e) => e.kind)).toContain('registration.completed');
  });

  it.each([
    ['native for a loopback redirect (a CLI on this machine)', 'http://localhost:3000/callback', 'native'],
    ['native for an IPv4 loopback redirect', 'http://127.0.0.1:49152/callback', 'native'],
    ['native for an IPv6 loopback redirect', 'http://[::1]:49152/callback', 'native'],
    ['web for a redirect to a web origin', 'https://app.example/callback', 'web'],
  ])('DCR sends application_type %s (MCP 2026-07-28, SEP-837)', async (_, redirectUri, expected) => {
    const endpoint = registrationEndpoint(201, { client_id: 'dyn-2' });
    const { result } = run(metadata({ registration_endpoint: `${AS}/register` }), { ...base, redirectUri }, endpoint.app);
    await result;
    expect(endpoint.received).toEqual([expect.objectContaining({ application_type: expected })]);
  });

  it.each([
    ['the method it assigned', { token_endpoint_auth_method: 'client_secret_post' }, ['client_secret_post'], 'client_secret_post'],
    ['basic when it assigned none but gave a secret', {}, ['client_secret_basic', 'none'], 'client_secret_basic'],
    ['none when a secret comes but only none is supported', {}, ['none'], 'none'],
  ])('after DCR, authenticates with %s (RFC 7591 §3.2.1)', async (_, answer, supported, method) => {
    const endpoint = registrationEndpoint(201, { client_id: 'dyn-2', client_secret: 's3', ...answer });
    const meta = metadata({ registration_endpoint: `${AS}/register`, token_endpoint_auth_methods_supported: supported });
    const { result } = run(meta, base, endpoint.app);
    expect((await result).token_endpoint_auth_method).toBe(method);
  });

  it('reports a refused registration with the AS error', async () => {
    const endpoint = registrationEndpoint(400, { error: 'invalid_redirect_uri', error_description: 'no' });
    const { result } = run(metadata({ registration_endpoint: `${AS}/register` }), base, endpoint.app);
    await expect(result).rejects.toThrow(/HTTP 400.*invalid_redirect_uri/);
  });

  it('fails clearly when there is no way to register', async () => {
    const { result } = run(metadata(), { ...base });
    await expect(result).rejects.toThrow(/a way to register/);
  });
});
