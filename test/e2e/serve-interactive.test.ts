/**
 * `pnpm serve --interactive`: the real authorization server process asks a person. A request
 * that the headless default would auto-approve (a loopback redirect URI) gets the sign-in page,
 * and a headless client is told it needs a browser.
 */
import { describe, expect, it } from 'vitest';
import { freePorts } from '@mcp-auth-demo/stack';
import { portFlags, runCommand } from './processes.ts';

describe('pnpm serve --interactive', () => {
  it('answers /authorize with the sign-in page (no code), and a headless client is told to use a browser', async () => {
    const ports = await freePorts();
    const serve = runCommand('serve', ['--interactive', ...portFlags(ports)], { buffer: false, timeout: 0 });
    let output = '';
    await new Promise<void>((resolve) => {
      serve.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C to stop.')) resolve();
      });
    });
    try {
      expect(output).toContain('a sign-in and consent page for every authorization');
      const clientBase = `http://localhost:${ports.client}`;
      const url = new URL(`http://localhost:${ports.as}/authorize`);
      for (const [k, v] of Object.entries({
        response_type: 'code',
        client_id: `${clientBase}/client-metadata.json`,
        redirect_uri: `${clientBase}/callback`,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        resource: `http://localhost:${ports.rs}/mcp`,
        scope: 'mcp:connect',
        state: 'xyz',
      })) url.searchParams.set(k, v);
      const page = await fetch(url, { redirect: 'manual', headers: { Accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('location')).toBeNull();
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(await page.text()).toContain('<h1>Sign in</h1>');

      const client = await runCommand('client', [
        '--client-metadata-url', `${clientBase}/client-metadata.json`,
        '--redirect-uri', `${clientBase}/callback`,
        `http://localhost:${ports.rs}/mcp`,
      ]);
      expect(client.exitCode).toBe(1);
      expect(String(client.stdout)).toMatch(/--browser/);
    } finally {
      serve.kill('SIGINT');
    }
    expect((await serve).exitCode).toBe(0);
  });
});
