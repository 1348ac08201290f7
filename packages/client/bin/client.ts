/** `pnpm client <mcp-url>`: the entry point (see cli.ts). */
import { runClientCli } from '../src/index.ts';

process.exit(
  await runClientCli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`client: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }),
);
