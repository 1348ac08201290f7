/**
 * `pnpm serve`: the authorization server, the MCP server and the client's metadata host stay
 * up, so any MCP client (the Inspector, an IDE, your own) can be pointed at the MCP URL, and
 * what that client did is printed live, as the servers decided it. Ctrl-C stops everything.
 *
 * Every client that authorizes gets a verdict card (packages/verdicts): which rules it followed
 * or broke, with the evidence, printed when its authorization completes or fails and again,
 * with what changed, after each later one. `--report FILE` keeps every card as JSON.
 * `--lenient` lets the authorization server accept a request without `resource` (where the
 * spec lets an AS choose), so the MCP server shows the consequence: a token it refuses.
 *
 *   pnpm serve [--as-port N] [--rs-port N] [--client-port N] [--report FILE] [--lenient]
 */
import { ENV, createTraceWriter, protectedResourceMetadataUrl, SCOPES, shouldUseColor } from '@mcp-auth-demo/common';
import { createGrader, formatCard, writeReport } from '@mcp-auth-demo/verdicts';
import { parseArgs } from 'node:util';
import { PORT_FLAGS, urlsFromPortFlags } from './ports.ts';
import { startStack } from './stack.ts';


async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...PORT_FLAGS,
      report: { type: 'string' },
      lenient: { type: 'boolean', default: false },
    },
  });
  const urls = urlsFromPortFlags(values);
  const color = shouldUseColor(process.stdout);
  const trace = createTraceWriter({ write: (t) => process.stdout.write(t), color, live: true });
  const grader = createGrader({
    resource: urls.resource,
    prmPath: new URL(protectedResourceMetadataUrl(urls.resource)).pathname,
    scopesSupported: [SCOPES.connect, SCOPES.weatherRead],
  });
  const report = values.report;
  if (report) writeReport(report, []);
  const stack = startStack(
    urls,
    (event) => {
      trace.push(event);
      // A card follows the event that completed or failed the authorization: causal order kept.
      for (const update of grader.observe(event)) process.stdout.write(formatCard(update, { color }));
      if (report && grader.takeChanged()) writeReport(report, grader.cards());
    },
    values.lenient ? { env: { [ENV.lenientAuthorizationServer]: '1' } } : {},
  );
  try {
    await stack.ready;
  } catch (error) {
    await stack.stop();
    throw error;
  }

  process.stdout.write(
    `\nReady. Point an MCP client at ${urls.resource}\n` +
      `  authorization server  ${urls.issuer}\n` +
      `  client metadata       ${urls.clientBase}/client-metadata.json\n` +
      `Each client that authorizes gets a verdict card${report ? ` (also written to ${report})` : ''}.\n` +
      (values.lenient ? `LENIENT: the authorization server accepts requests without resource; watch the MCP server refuse those tokens.\n` : '') +
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
  await stack.stop();
  return code;
}

/** Runs `pnpm serve` with these arguments until Ctrl-C; resolves to the exit code. */
export function runServe(argv: string[]): Promise<number> {
  return serve(argv).catch((error: unknown) => {
    process.stderr.write(`serve: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
}
