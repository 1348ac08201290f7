/** `pnpm serve`: the entry point (see serve-command.ts). */
import { runServe } from '../src/index.ts';

process.exit(await runServe(process.argv.slice(2)));
