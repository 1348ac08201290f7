/** `pnpm demo`: the entry point (see demo-command.ts). */
import { runDemo } from '../src/demo-command.ts';

process.exit(await runDemo(process.argv.slice(2)));
