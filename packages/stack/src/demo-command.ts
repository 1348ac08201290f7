/**
 * `pnpm demo`: start the authorization server, the MCP server and the client's metadata host
 * as real processes, run the whole journey against them, print it as a numbered trace, stop
 * everything. Exit 0 when the journey succeeds, 1 when it (or the set-up) fails, 130 on Ctrl-C.
 *
 *   pnpm demo [--as-port N] [--rs-port N] [--client-port N] [--registration cimd|dcr] [--interactive]
 *             [--spec 2025-11-25|2026-07-28|auto] [--as ours|oidc-provider] [--verbose | --json] [--diagram FILE] [--html FILE] [--open] [--scenario NAME|list|all]
 *
 * The trace has three levels: the lesson (default), the full wire view (--verbose) and the raw
 * typed events (--json). --diagram writes a Mermaid sequence diagram of the run as well, --html
 * the run as one self-contained page (packages/trace/src/picture-page.ts), and --open opens that
 * page in the browser (demo-page.ts).
 * `--spec`: the MCP revision the client speaks (the RS serves both on one endpoint).
 *
 * `--interactive`: the authorization server shows its sign-in and consent page, in the person's
 * browser; the journey receives the redirect on a loopback port of its own (the client's
 * `--browser` user agent, RFC 8252 §7.3) and waits for the person. Without it, the AS
 * auto-approves the loopback redirect (a named deviation) and no browser is needed.
 *
 * `--as oidc-provider` runs the same journey against panva's oidc-provider instead of our AS
 * (packages/oidc-provider-as). Its pages are passed through by a user agent that follows the AS's
 * own redirects with its cookies, as a browser would; the AS auto-approves (a named deviation).
 *
 * `--https` (https-mode.ts): every server listens with TLS, with a certificate of the lab's local
 * CA (made on first use, reused), every URL is https, and the client trusts that CA explicitly.
 */
import { isSpecChoice, SPEC_CHOICES } from '@mcp-auth-demo/common';
import { createTraceWriter, formatMermaid, shouldUseColor, type TraceEvent } from '@mcp-auth-demo/trace';
import type { BrowserCallback } from '@mcp-auth-demo/client';
import { writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PORT_FLAGS, urlsFromPortFlags } from './ports.ts';
import { startStack, type Stack } from './stack.ts';
import { formatOwnServers, RESOURCE_FLAG, resourcesFromFlag } from './own-servers.ts';
import { formatHttpsLines, HTTPS_FLAG, httpsMode } from './https-mode.ts';

// Spawn first, load the rest meanwhile: the client (with the MCP SDK), the scenarios, the page
// and the oidc-provider user agent are imported only once the servers are starting, so their
// loading overlaps the servers' own start-up instead of delaying it (docs/speed.md).
const loadClient = () => import('@mcp-auth-demo/client');
const loadScenarios = () => import('./scenarios/command.ts');

export const DEMO_USAGE =
  'usage: pnpm demo [--as-port N] [--rs-port N] [--client-port N] [--registration cimd|dcr] [--interactive]\n' +
  '                 [--spec 2025-11-25|2026-07-28|auto] [--as ours|oidc-provider] [--verbose | --json] [--diagram FILE] [--html FILE] [--open]\n' +
  '  --spec REVISION the MCP revision the client speaks (default 2025-11-25; auto probes with server/discover)\n' +
  "  --interactive   sign in and approve on the authorization server's page, in your browser\n" +
  "  --as oidc-provider  the same journey with panva's oidc-provider as the authorization server\n" +
  '  --verbose       the full wire view: every exchange and header (default: the lesson)\n' +
  '  --json          the raw typed events, one JSON line each\n' +
  '  --diagram FILE  also write a Mermaid sequence diagram of the run to FILE\n' +
  '  --html FILE     also write the run as one self-contained page (a sequence diagram; select an arrow for its exchange)\n' +
  '  --open          write that page (to a temporary file without --html) and open it in your browser\n' +
  '  --scenario NAME|list|all  run an attack or a mistake and show the rule that stops it\n' +
  '  --accommodate-sdk1-step-up  the AS refuses a refresh until the token\'s last 60 s (SDK 1.x step-up, typescript-sdk #2255)\n' +
  '  --introspect-every-request  the MCP server asks the AS about every token (RFC 7662) instead of receiving pushed revocations (RFC 8935)\n' +
  '  --resource URL  your own MCP server: the AS issues tokens for it too (repeatable; docs/your-own-server.md)\n' +
  '  --https         every server over TLS, with a certificate of a local CA made on first use (no http deviation left)';


/** The flags `pnpm demo` accepts, for parseArgs (the docs' commands are checked against them). */
export const DEMO_OPTIONS = {
  ...PORT_FLAGS,
  registration: { type: 'string', default: 'cimd' },
  spec: { type: 'string', default: '2025-11-25' },
  as: { type: 'string', default: 'ours' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  diagram: { type: 'string' },
  html: { type: 'string' },
  open: { type: 'boolean', default: false },
  interactive: { type: 'boolean', default: false },
  scenario: { type: 'string' },
  'accommodate-sdk1-step-up': { type: 'boolean', default: false },
  ...RESOURCE_FLAG,
  'introspect-every-request': { type: 'boolean', default: false },
  ...HTTPS_FLAG,
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

async function demo(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: DEMO_OPTIONS });
  if (values.help) {
    process.stdout.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  if (values.registration !== 'cimd' && values.registration !== 'dcr') {
    throw new Error(`--registration must be cimd or dcr, got "${values.registration}"`);
  }
  if (!isSpecChoice(values.spec)) throw new Error(`--spec must be one of ${SPEC_CHOICES.join(', ')}, got "${values.spec}"`);
  const spec = values.spec;
  if (values.as !== 'ours' && values.as !== 'oidc-provider') {
    throw new Error(`--as must be ours or oidc-provider, got "${values.as}"`);
  }
  const authorizationServer = values.as;
  // oidc-provider's interaction is answered by our auto-approval; it has no page to show.
  if (authorizationServer === 'oidc-provider' && values.interactive) throw new Error('--interactive works with our authorization server only, not with --as oidc-provider');
  const urls = urlsFromPortFlags(values);
  const resources = resourcesFromFlag(values.resource, urls.resource);
  if (resources.length > 0 && authorizationServer === 'oidc-provider') throw new Error('--resource works with our authorization server only, not with --as oidc-provider');
  const scenarioCommand = values.scenario === undefined ? undefined : await loadScenarios();
  if (scenarioCommand && values.scenario === 'list') {
    process.stdout.write(scenarioCommand.formatScenarioList());
    return 0;
  }
  const scenarios = scenarioCommand?.selectScenarios(values.scenario!);
  if (scenarios && values.interactive) throw new Error('--scenario runs headless: drop --interactive');
  // The scenarios misbehave against our own servers, whose refusals they assert.
  if (scenarios && authorizationServer === 'oidc-provider') throw new Error('--scenario runs against our authorization server: drop --as oidc-provider');
  // Not yet: the scenarios' extra servers and oidc-provider's process listen on http only.
  if (values.https && scenarios) throw new Error('--scenario runs over http for now: drop --https');
  if (values.https && authorizationServer === 'oidc-provider') throw new Error('--https works with our authorization server only, not with --as oidc-provider');
  const https = await httpsMode(values.https);

  if (values.json && values.verbose) throw new Error('--json and --verbose are two different outputs: choose one');
  const recorded: TraceEvent[] = [];
  // The page is written (and opened) once, even when a failure flushes the trace again.
  let pageWritten = false;
  const writer = createTraceWriter({
    write: (text) => process.stdout.write(text),
    color: shouldUseColor(process.stdout),
    json: values.json,
    detail: values.verbose ? 'verbose' : 'lesson',
  });
  const trace = {
    push: (event: TraceEvent) => {
      recorded.push(event);
      writer.push(event);
    },
    flush: async () => {
      await writer.flush();
      if (values.diagram) writeFileSync(values.diagram, formatMermaid(recorded));
      if (!pageWritten && (values.html || values.open)) {
        pageWritten = true;
        const { writeDemoPage } = await import('./demo-page.ts');
        await writeDemoPage(recorded, { ...(values.html && { html: values.html }), open: values.open });
      }
    },
  };

  let stack: Stack | undefined;
  let browser: BrowserCallback | undefined;
  // `on`, not `once`: execa's exit hook re-raises a signal that no listener remains for.
  const interrupted = new Promise<number>((resolve) => {
    const onSignal = () => resolve(130);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  // The extra MCP servers the chosen scenarios run against, each on its own port.
  const extra = scenarios ? await scenarioCommand!.extraServersFor(scenarios) : { urls: {}, servers: [] };
  const run = async (): Promise<number> => {
    // The audience contrast's "other MCP server": a resource our AS issues for, served by no process.
    const otherResource = authorizationServer === 'ours' && !scenarios ? new URL('/other/mcp', urls.resource).href : undefined;
    stack = startStack(urls, (event) => trace.push(event), {
      interactive: values.interactive,
      authorizationServer,
      extraServers: extra.servers,
      accommodateSdk1StepUp: values['accommodate-sdk1-step-up'],
      resources,
      introspectEveryRequest: values['introspect-every-request'],
      // The client calls within a second: the MCP layer loads while the other servers start.
      loadMcpLayerAtStart: true,
      ...(otherResource && { unservedResources: [otherResource] }),
      tlsEnvironment: https.serverEnvironment,
    });
    const client = loadClient();
    client.catch(() => {}); // awaited below, after the servers are ready
    await stack.ready;
    // What the own servers' metadata must say; on stderr, so the trace (and --json) stays the run's.
    if (resources.length > 0) process.stderr.write(`\n${formatOwnServers(resources, urls.issuer)}\n`);
    if (scenarios) {
      const { formatScenarioTable, notHeldMessage, runScenarios } = scenarioCommand!;
      const results = await Promise.race([
        runScenarios(scenarios, { ...urls, ...extra.urls }, globalThis.fetch, (event) => trace.push(event)),
        stack.died.then((why) => { throw new Error(`a server stopped during the scenarios: ${why}`); }),
      ]);
      await trace.flush();
      if (scenarios.length > 1 && !values.json) process.stdout.write(formatScenarioTable(results));
      const broken = notHeldMessage(results);
      if (broken) process.stderr.write(`demo: ${broken}\n`);
      return broken ? 1 : 0;
    }
    const { clientUrls, runJourney, startBrowserCallback } = await client;
    const clientHost = clientUrls(urls.clientBase);
    if (values.interactive) {
      // A loopback listener on a port the OS picks: the registered loopback redirect URI may
      // differ in its port only (RFC 8252 §7.3), so the CIMD document needs no change.
      browser = await startBrowserCallback();
      process.stderr.write(
        `\nInteractive: the authorization server will ask you to sign in (demo account demo-user / demo-password) ` +
          `and to approve, in your browser. The journey waits for you.\n` +
          (https.ca ? `Your browser does not trust the lab's CA; for a browser that does, this once:\n${formatHttpsLines(https.ca)}` : ''),
      );
    }
    const journey = runJourney({
      serverUrl: urls.resource,
      spec,
      fetch: https.fetch,
      ...(browser && { userAgent: browser.userAgent }),
      registration: {
        clientMetadataUrl: clientHost.clientId,
        redirectUri: browser?.redirectUri ?? clientHost.redirectUri,
        clientName: 'MCP Auth Demo Client',
        preferDynamicRegistration: values.registration === 'dcr',
      },
      calls: [
        { name: 'whoami', arguments: {} },
        { name: 'get_weather', arguments: { city: 'Paris' } },
      ],
      // oidc-provider sends the browser through its interaction pages before redirecting back.
      ...(authorizationServer === 'oidc-provider' && { userAgent: (await import('@mcp-auth-demo/oidc-provider-as')).redirectFollowingUserAgent() }),
      // Beside their steps, the defences shown holding; a decoy authorization needs no person to approve it.
      contrasts: { decoys: !values.interactive, ...(otherResource && { otherResource }) },
      onEvent: (event) => trace.push(event),
    });
    const outcome = await Promise.race([journey, stack.died.then((why) => ({ ok: false as const, why }))]);
    await trace.flush();
    if ('why' in outcome) throw new Error(`a server stopped during the journey: ${outcome.why}`);
    return outcome.ok ? 0 : 1;
  };

  try {
    return await Promise.race([run(), interrupted]);
  } catch (error) {
    await trace.flush();
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await browser?.close();
    await stack?.stop();
  }
}

/** Runs `pnpm demo` with these arguments; resolves to the exit code (a usage error is 1). */
export function runDemo(argv: string[]): Promise<number> {
  return demo(argv).catch((error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n${DEMO_USAGE}\n`);
    return 1;
  });
}
