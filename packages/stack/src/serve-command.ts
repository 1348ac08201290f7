/**
 * `pnpm serve`: the authorization server, the MCP server and the client's metadata host stay
 * up, so any MCP client (the Inspector, an IDE, your own) can be pointed at the MCP URL, and
 * what that client did is printed live, as the servers decided it. Ctrl-C stops everything.
 *
 *   pnpm serve [--as-port N] [--rs-port N] [--client-port N] [--interactive]
 *
 * `--interactive`: the authorization server asks a person (sign-in and consent page) for every
 * request. Without it, it is headless: a loopback redirect URI is auto-approved (a named
 * deviation), any other redirect URI is refused with access_denied.
 */
import { createTraceWriter, shouldUseColor } from '@mcp-auth-demo/common';
import { parseArgs } from 'node:util';
import { PORT_FLAGS, urlsFromPortFlags } from './ports.ts';
import { startStack } from './stack.ts';


async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...PORT_FLAGS, interactive: { type: 'boolean', default: false } },
  });
  const urls = urlsFromPortFlags(values);
  const trace = createTraceWriter({ write: (t) => process.stdout.write(t), color: shouldUseColor(process.stdout), live: true });
  const stack = startStack(urls, (event) => trace.push(event), { interactive: values.interactive });
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
      (values.interactive
        ? `  consent               a sign-in and consent page for every authorization (demo account demo-user / demo-password)\n`
        : `  consent               headless: loopback redirect URIs auto-approved, any other refused (--interactive asks you)\n`) +
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
