/**
 * `pnpm serve`: the authorization server, the MCP server and the client's metadata host stay
 * up, so any MCP client (the Inspector, an IDE, your own) can be pointed at the MCP URL, and
 * what that client did is printed live, as the servers decided it. Ctrl-C stops everything.
 *
 *   pnpm serve [--as-port N] [--rs-port N] [--client-port N] [--interactive] [--report FILE] [--lenient] [--resource URL]...
 *
 * `--resource URL` (own-servers.ts): someone's own MCP server, for which the AS issues tokens too.
 * The AS also serves the grading facility of `pnpm client URL --grade` (a named deviation,
 * authorization-server endpoints/grading-tokens.ts).
 *
 * `--interactive`: the authorization server asks a person (sign-in and consent page) for every
 * request. Without it, it is headless: a loopback redirect URI is auto-approved (a named
 * deviation), any other redirect URI is refused with access_denied.
 *
 * Every client that authorizes gets a verdict card (packages/verdicts): which rules it followed
 * or broke, with the evidence, printed when its authorization completes or fails and again,
 * with what changed, after each later one. `--report FILE` keeps every card as JSON.
 * The live page (live-page/): the picture of each client's journey as it happens, with its card
 * beside it, served by this process on 127.0.0.1 (`--page-port N`, else a port the OS picks).
 * `--lenient` lets the authorization server accept a request without `resource` (where the
 * spec lets an AS choose), so the MCP server shows the consequence: a token it refuses.
 * `--https` (https-mode.ts): every server over TLS with the lab CA's certificate; the banner says
 * how to trust that CA (NODE_EXTRA_CA_CERTS, a browser for one session).
 */
import { gradingTokensUrl, protectedResourceMetadataUrl, SCOPES } from '@mcp-auth-demo/common';
import { createTraceWriter, shouldUseColor } from '@mcp-auth-demo/trace';
import { createGrader, createReportWriter, formatCard, inCausalOrder, writeReport } from '@mcp-auth-demo/verdicts';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PORT_FLAGS, portFlag, urlsFromPortFlags } from './ports.ts';
import { startStack } from './stack.ts';
import { formatOwnServers, RESOURCE_FLAG, resourcesFromFlag } from './own-servers.ts';
import { formatHttpsLines, HTTPS_FLAG, httpsMode } from './https-mode.ts';
import { startLivePage } from './live-page/serve-live-page.ts';

export const SERVE_USAGE =
  'usage: pnpm serve [--as-port N] [--rs-port N] [--client-port N] [--interactive] [--report FILE] [--lenient] [--resource URL]...\n' +
  '  --interactive   a sign-in and consent page for every authorization (default: loopback redirect URIs\n' +
  '                  auto-approved, any other refused)\n' +
  '  --report FILE   keep every connecting client\'s verdict card in FILE, as JSON\n' +
  '  --lenient       the AS accepts requests without resource, so the MCP server\'s refusal of those tokens shows\n' +
  '  --resource URL  your own MCP server: the AS issues tokens for it too (repeatable); the banner says what its\n' +
  '                  metadata must say; grade it with pnpm client URL --grade (docs/your-own-server.md)\n' +
  '  --accommodate-sdk1-step-up  the AS refuses a refresh until the token\'s last 60 s (SDK 1.x step-up, typescript-sdk #2255)\n' +
  '  --introspect-every-request  the MCP server asks the AS about every token (RFC 7662) instead of receiving pushed revocations (RFC 8935)\n' +
  '  --https         every server over TLS, with a certificate of a local CA made on first use; prints how to trust it\n' +
  '  --page-port N   the live page (each client\'s journey as a picture, with its card) on this port of 127.0.0.1\n' +
  '                  (default: one the OS picks; the URL is printed at start)\n' +
  '  --help          this text';

/** The flags `pnpm serve` accepts, for parseArgs (the docs' commands are checked against them). */
export const SERVE_OPTIONS = {
  ...PORT_FLAGS,
  interactive: { type: 'boolean', default: false },
  report: { type: 'string' },
  lenient: { type: 'boolean', default: false },
  'accommodate-sdk1-step-up': { type: 'boolean', default: false },
  ...RESOURCE_FLAG,
  'introspect-every-request': { type: 'boolean', default: false },
  ...HTTPS_FLAG,
  'page-port': { type: 'string', default: '0' },
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: SERVE_OPTIONS });
  if (values.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  const urls = urlsFromPortFlags(values);
  const resources = resourcesFromFlag(values.resource, urls.resource);
  const https = await httpsMode(values.https);
  const color = shouldUseColor(process.stdout);
  const trace = createTraceWriter({ write: (t) => process.stdout.write(t), color, live: true });
  const grader = createGrader({
    resource: urls.resource,
    prmPath: new URL(protectedResourceMetadataUrl(urls.resource)).pathname,
    scopesSupported: [SCOPES.connect, SCOPES.weatherRead],
    // The same list the AS issues for (startStack below): a journey naming one is graded against it.
    ownServers: resources,
  });
  const report = values.report;
  if (report) writeReport(report, []);
  // Rewritten once per burst of changes, not once per event (report-file.ts).
  const reportWriter = report ? createReportWriter(report, () => grader.cards()) : undefined;
  // The grader reads the servers' events in the order they happened (causal-order.ts); a card
  // is printed once the events that decided it have been printed.
  const live = await startLivePage(portFlag(values['page-port'], 'page-port', 0), { mcpUrl: urls.resource, cards: () => grader.cards() });
  const grading = inCausalOrder((event) => {
    for (const update of grader.observe(event)) process.stdout.write(formatCard(update, { color }));
    live.push(event);
    if (reportWriter && grader.takeChanged()) reportWriter.changed();
  });
  // A 403 left unanswered changes a card with time alone (step-up-reauthorizes, 30 s): look every second.
  const ticking = setInterval(() => {
    for (const update of grader.tick()) {
      process.stdout.write(formatCard(update, { color }));
      live.changed();
    }
    if (reportWriter && grader.takeChanged()) reportWriter.changed();
  }, 1000);
  ticking.unref();
  const onEvent = (event: Parameters<typeof trace.push>[0]) => {
    trace.push(event);
    grading.push(event);
  };
  const stack = startStack(urls, onEvent, {
    interactive: values.interactive,
    lenient: values.lenient,
    accommodateSdk1StepUp: values['accommodate-sdk1-step-up'],
    introspectEveryRequest: values['introspect-every-request'],
    resources,
    // pnpm client URL --grade: the audience check needs a resource besides the graded one, served by no process.
    unservedResources: [new URL('/other/mcp', urls.resource).href],
    gradingTokens: true,
    tlsEnvironment: https.serverEnvironment,
  });
  try {
    await stack.ready;
  } catch (error) {
    clearInterval(ticking);
    await Promise.all([stack.stop(), live.stop()]);
    throw error;
  }

  process.stdout.write(
    `\nReady. Point an MCP client at ${urls.resource}\n` +
      `  authorization server  ${urls.issuer}\n` +
      `  client metadata       ${urls.clientBase}/client-metadata.json\n` +
      (values.interactive
        ? `  consent               a sign-in and consent page for every authorization (demo account demo-user / demo-password)\n`
        : `  consent               headless: loopback redirect URIs auto-approved, any other refused (--interactive asks you)\n`) +
      `  verdicts              a card per client when it authorizes${report ? `, also written to ${report}` : ''}\n` +
      `  live page             ${live.url} (each client's journey as a picture, its card beside it)\n` +
      `  grading facility      ${gradingTokensUrl(urls.issuer)}: twins of a held token for pnpm client --grade (a named lab deviation)\n` +
      formatOwnServers(resources, urls.issuer) +
      (https.ca ? formatHttpsLines(https.ca) : '') +
      (values.lenient ? `  LENIENT               the AS accepts requests without resource; watch the MCP server refuse those tokens\n` : '') +
      `Press Ctrl-C to stop.\n\n`,
  );
  const code = await Promise.race([
    new Promise<number>((resolve) => {
      process.on('SIGINT', () => resolve(0));
      process.on('SIGTERM', () => resolve(0));
    }),
    stack.died.then((why) => {
      process.stderr.write(`serve: ${why}\n`);
      return 1;
    }),
  ]);
  await Promise.all([stack.stop(), live.stop()]);
  clearInterval(ticking);
  grading.drain();
  reportWriter?.flush();
  return code;
}

/** A flag parseArgs does not know, or a missing value: say the usage. */
function isUsageError(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('ERR_PARSE_ARGS');
}

/** Runs `pnpm serve` with these arguments until Ctrl-C; resolves to the exit code. */
export function runServe(argv: string[]): Promise<number> {
  return serve(argv).catch((error: unknown) => {
    process.stderr.write(`serve: ${error instanceof Error ? error.message : String(error)}\n${isUsageError(error) ? `${SERVE_USAGE}\n` : ''}`);
    return 1;
  });
}
