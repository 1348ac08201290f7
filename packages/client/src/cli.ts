/**
 * `pnpm client <mcp-url>`: the traced client against any MCP server. The entry point is
 * bin/client.ts; this module is the runner, exported for the conformance adapter and tests.
 *
 * It runs the same journey as the demo (discovery, registration, authorization, tool calls,
 * step-up) and prints the same numbered trace. Without `--call` it lists the tools and calls
 * each one that is safe to call blind (tool-selection.ts). Beside step [2] it makes the attacks a
 * client can make against any server and shows them refused (contrasts.ts).
 *
 * `--https`: for the lab started with `pnpm serve --https`. The default client metadata URL and
 * redirect URI become the client host's https ones, and the client trusts the lab's local CA
 * explicitly, for loopback hosts only (local-ca `createLabTrustingFetch`); any other server is
 * checked against Node's default trust store alone, with or without the flag.
 */
import { createLabTrustingFetch, readLocalCaCertificate } from '@mcp-auth-demo/local-ca';
import { DEFAULT_CLIENT_BASE, JsonObjectError, parseJsonObject, type JsonObject } from '@mcp-auth-demo/common';
import { createTraceWriter, shouldUseColor, terminalSafe, type TraceEvent } from '@mcp-auth-demo/trace';
import { gradeAfterJourney, presentServerCard } from './grade.ts';
import { parseArgs } from 'node:util';
import { startBrowserCallback } from './browser-callback.ts';
import { runJourney } from './journey.ts';
import type { ToolCall } from './tool-selection.ts';
import { isSpecChoice, SPEC_CHOICES } from './mcp-connection.ts';
import { clientUrls } from './metadata-document.ts';

export const CLIENT_USAGE = `usage: pnpm client <mcp-url> [options]
  --call NAME                 call this tool (default: every tool safe to call blind: no required
                              arguments, tasks not required; the others are listed with why)
  --args JSON                 its arguments, a JSON object (default {})
  --client-id ID              use a pre-registered client
  --client-secret SECRET      ...with this secret (client_secret_basic or _post, as the AS supports);
                              sent only to the --issuer AS, or without --issuer to an AS on the
                              MCP server's own host
  --issuer URL                the issuer the --client-id/--client-secret belong to
  --client-metadata-url URL   this client's metadata document URL, used as client_id where the AS
                              supports CIMD (default: the demo's ${DEFAULT_CLIENT_BASE}/client-metadata.json)
  --redirect-uri URL          (default: the demo's ${DEFAULT_CLIENT_BASE}/callback)
  --registration cimd|dcr     prefer CIMD (default) or Dynamic Client Registration
  --spec 2025-11-25|2026-07-28|auto
                              the MCP revision to speak (default 2025-11-25); auto probes the
                              server with server/discover and falls back to 2025-11-25
  --browser                   for an AS that shows a login or consent page: open the authorization
                              URL in a browser and receive the redirect on a loopback port
  --no-contrasts              make none of the attacks below (a grader that counts every request)
  --verbose                   the full wire view (every exchange and header) instead of the lesson
  --json                      print the trace as JSON lines
  --grade                     after the journey, test the server's defences (PRM, 401 challenge, signature,
                              audience, expiry, query token, Origin, ...) and print a server card
  --report FILE               with --grade: also write the card to FILE as JSON
  --https                     the lab over https (pnpm serve --https): its https client metadata URL, and
                              its local CA trusted for loopback hosts (never for any other host)

Beside step [2] the client attacks in its own name, for real, and shows the AS refusing: an
unregistered redirect_uri, and (without --browser) a code redeemed with the wrong verifier.`;

export class UsageError extends Error {}

export function parseClientArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      call: { type: 'string' },
      args: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      issuer: { type: 'string' },
      'client-metadata-url': { type: 'string' },
      'redirect-uri': { type: 'string' },
      registration: { type: 'string', default: 'cimd' },
      spec: { type: 'string', default: '2025-11-25' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      browser: { type: 'boolean', default: false },
      grade: { type: 'boolean', default: false },
      report: { type: 'string' },
      'no-contrasts': { type: 'boolean', default: false },
      https: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return { help: true as const };
  const serverUrl = positionals.at(-1);
  if (!serverUrl || !URL.canParse(serverUrl)) throw new UsageError('the MCP server URL is missing or not a URL');
  // `localhost:1/mcp` parses as a URL whose scheme is `localhost:`: say what was meant.
  const scheme = new URL(serverUrl).protocol;
  if (scheme !== 'http:' && scheme !== 'https:') {
    throw new UsageError(`the MCP server URL must start with https:// or http:// (${JSON.stringify(serverUrl)} has the scheme ${JSON.stringify(scheme)}; did you mean http://${serverUrl}?)`);
  }
  if (values.registration !== 'cimd' && values.registration !== 'dcr') throw new UsageError('--registration must be cimd or dcr');
  if (!isSpecChoice(values.spec)) throw new UsageError(`--spec must be one of ${SPEC_CHOICES.join(', ')}`);
  if (values['client-secret'] && !values['client-id']) throw new UsageError('--client-secret needs --client-id');
  if (values.issuer && !/^https?:$/.test(URL.canParse(values.issuer) ? new URL(values.issuer).protocol : '')) throw new UsageError('--issuer must be an https (or loopback http) URL');
  if (values.report && !values.grade) throw new UsageError('--report needs --grade');
  if (values.browser && values['redirect-uri']) throw new UsageError('--browser listens on a redirect URI of its own; drop --redirect-uri');

  let calls: ToolCall[] | 'discover' = 'discover';
  if (values.call) {
    let parsed: JsonObject = {};
    try {
      if (values.args) parsed = parseJsonObject(values.args);
    } catch (error) {
      throw new UsageError(error instanceof JsonObjectError && error.found !== 'not JSON' ? '--args must be a JSON object' : '--args must be JSON');
    }
    calls = [{ name: values.call, arguments: parsed }];
  } else if (values.args) {
    throw new UsageError('--args needs --call');
  }

  const demo = clientUrls(values.https ? DEFAULT_CLIENT_BASE.replace(/^http:/, 'https:') : DEFAULT_CLIENT_BASE);
  return {
    help: false as const,
    serverUrl,
    calls,
    spec: values.spec,
    json: values.json,
    verbose: values.verbose,
    browser: values.browser,
    grade: values.grade,
    ...(values.report && { report: values.report }),
    contrasts: !values['no-contrasts'],
    ...(values.https && { https: true as const }),
    registration: {
      ...(values['client-id'] && { clientId: values['client-id'] }),
      ...(values['client-secret'] && { clientSecret: values['client-secret'] }),
      ...(values.issuer && { issuer: values.issuer }),
      clientMetadataUrl: values['client-metadata-url'] ?? demo.clientId,
      redirectUri: values['redirect-uri'] ?? demo.redirectUri,
      clientName: 'MCP Auth Demo Client',
      preferDynamicRegistration: values.registration === 'dcr',
    },
  };
}

/**
 * After a run that registered a new client (DCR) for a person: how to reuse it, so the next run
 * neither registers again nor (with an AS that remembers consent per client) asks again. The
 * credentials stay bound to the issuer they came from (MCP 2026-07-28: never reused with another AS).
 */
export function reuseHint(serverUrl: string, clientId: string, issuer: string): string {
  // The client_id is the AS's choice and these lines bypass the trace printer: neutralise it here.
  const quote = (s: string) => terminalSafe(/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
  return (
    `\nThis run registered a new client at ${quote(issuer)} (client_id ${quote(clientId)}).\n` +
    `To reuse it next time instead of registering again:\n` +
    `  pnpm client ${quote(serverUrl)} --browser --client-id ${quote(clientId)} --issuer ${quote(issuer)}\n`
  );
}

/** Runs the CLI; resolves to the exit code (0 success, 1 journey failed, 2 usage). */
export async function runClientCli(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseClientArgs>;
  try {
    options = parseClientArgs(argv);
  } catch (error) {
    process.stderr.write(`client: ${error instanceof Error ? error.message : String(error)}\n${CLIENT_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${CLIENT_USAGE}\n`);
    return 0;
  }
  const color = shouldUseColor(process.stdout);
  const trace = createTraceWriter({
    write: (text) => process.stdout.write(text),
    color,
    json: options.json,
    detail: options.verbose ? 'verbose' : 'lesson',
  });
  const { serverUrl, calls, registration, spec } = options;
  let fetch: typeof globalThis.fetch | undefined;
  try {
    fetch = options.https ? createLabTrustingFetch(readLocalCaCertificate()) : undefined;
  } catch (error) {
    process.stderr.write(`client: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const browser = options.browser ? await startBrowserCallback() : undefined;
  let issuer: string | undefined;
  let registered: string | undefined;
  const journeyEvents: TraceEvent[] = [];
  try {
    const result = await runJourney({
      serverUrl,
      calls,
      spec,
      ...(fetch && { fetch }),
      registration: browser ? { ...registration, redirectUri: browser.redirectUri } : registration,
      ...(browser && { userAgent: browser.userAgent }),
      // The contrasts this client can make against any server (contrasts.ts): the redirect_uri
      // check always; PKCE's decoy only when no person would be asked to approve it.
      ...(options.contrasts && { contrasts: { decoys: !browser } }),
      onEvent: (event) => {
        if (event.kind === 'as_metadata.discovered') issuer = event.issuer;
        if (event.kind === 'registration.completed') registered = event.client_id;
        if (options.grade) journeyEvents.push(event);
        trace.push(event);
      },
    });
    if (options.grade) {
      const token = result.tokens.at(-1)?.access_token;
      const step = Math.max(0, ...result.steps.map((s) => s.step)) + 1;
      const card = await gradeAfterJourney({ serverUrl, journey: journeyEvents, step, onEvent: (event) => trace.push(event), ...(token && { token }), ...(fetch && { fetch }) });
      await trace.flush();
      if (!options.json) presentServerCard(card, { color, write: (text) => process.stdout.write(text), ...(options.report && { report: options.report }) });
      else if (options.report) presentServerCard(card, { color, write: () => {}, report: options.report });
      // The card is the result: exit 1 when a MUST is broken (or the journey failed).
      return result.ok && !card.checks.some((c) => c.verdict === 'fail') ? 0 : 1;
    }
    await trace.flush();
    if (browser && registered && issuer) process.stderr.write(reuseHint(serverUrl, registered, issuer));
    return result.ok ? 0 : 1;
  } finally {
    await browser?.close();
  }
}
