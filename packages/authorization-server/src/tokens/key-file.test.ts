import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, ISSUER, obtainCode, requestToken, RESOURCE, tokenFields } from '../../testing/index.ts';
import { loadOrCreateSigningKey } from './key-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'as-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a persistent signing key (MCP_DEMO_AS_KEY_FILE): tokens survive a restart', () => {
  it('creates the key file on first start (owner-only), and loads the same key after a restart', async () => {
    const path = join(dir, 'as-key.json');
    const first = await loadOrCreateSigningKey(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ kty: 'RSA', d: expect.any(String) });
    const second = await loadOrCreateSigningKey(path);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(second.publicJwk).not.toHaveProperty('d');
  });

  it('a token issued before the restart verifies against the JWKS served after it', async () => {
    const path = join(dir, 'as-key.json');
    const before = await createHarness({ config: { signingKey: loadOrCreateSigningKey(path) } });
    const code = await obtainCode(before);
    const { access_token } = (await (await requestToken(before, tokenFields(code))).json()) as { access_token: string };

    const after = await createHarness({ config: { signingKey: loadOrCreateSigningKey(path) } });
    const jwks = (await (await after.app.request(`${ISSUER}/jwks`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(access_token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: RESOURCE,
      currentDate: new Date(Date.UTC(2025, 10, 25, 12, 0, 0)),
    });
    expect(payload.aud).toBe(RESOURCE);
  });

  it.each([
    { rule: 'not JSON', content: 'not json', mode: 0o600, message: /not JSON/ },
    { rule: 'not an RSA private key', content: JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }), mode: 0o600, message: /RSA private key/ },
    { rule: 'readable by other users', content: '{}', mode: 0o644, message: /readable by other users/ },
  ])('refuses a key file that is $rule, with a message naming the file', async ({ content, mode, message }) => {
    const path = join(dir, 'bad.json');
    await writeFile(path, content);
    await chmod(path, mode);
    await expect(loadOrCreateSigningKey(path)).rejects.toThrow(message);
    await expect(loadOrCreateSigningKey(path)).rejects.toThrow(path);
  });
});

describe('key generation is off the start-up path', () => {
  it('the app answers its metadata while the key does not exist yet; /jwks waits for it', async () => {
    let resolveKey!: (key: Awaited<ReturnType<typeof loadOrCreateSigningKey>>) => void;
    const pending = new Promise<Awaited<ReturnType<typeof loadOrCreateSigningKey>>>((resolve) => (resolveKey = resolve));
    const h = await createHarness({ config: { signingKey: pending } });
    expect((await h.app.request(`${ISSUER}/.well-known/oauth-authorization-server`)).status).toBe(200);
    let jwksAnswered = false;
    const jwks = Promise.resolve(h.app.request(`${ISSUER}/jwks`)).then((response) => ((jwksAnswered = true), response));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(jwksAnswered).toBe(false);
    resolveKey(await loadOrCreateSigningKey(join(dir, 'k.json')));
    expect((await jwks).status).toBe(200);
  });

  it('a promised key that turns out invalid makes /jwks a bare 500 server_error, no detail', async () => {
    const h = await createHarness({ config: { signingKey: Promise.resolve({ alg: 'none' } as never) } });
    const response = await h.app.request(`${ISSUER}/jwks`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'server_error', error_description: 'The server could not complete the request.' });
  });
});
