/** The e2e project's global setup: build dist/ once if a source is newer (as `pnpm demo` would). */
// @ts-expect-error: plain JavaScript (it runs before anything is built), without type declarations.
import { ensureBuilt } from '../../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await (ensureBuilt as () => Promise<void>)();
}
