/**
 * The resource server's start-up import graph, as esbuild bundles it (scripts/build.mjs): what
 * `node dist/packages/resource-server/src/serve.js` evaluates before it listens holds neither the
 * MCP SDK nor zod nor Ajv (mcp-layer.ts loads them at the first MCP request; issue 27, idle RSS),
 * while the graph with its dynamic imports still holds them (so the check is not vacuous). In
 * the e2e project because esbuild runs as a child process.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe("the resource server's start-up import graph", () => {
  it('holds neither the MCP SDK nor zod; the graph as a whole (dynamic imports included) holds both', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const entry = 'packages/resource-server/src/serve.ts';
    const { metafile } = await build({ absWorkingDir: root, entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, outdir: 'unused', logLevel: 'silent' });
    const reached = (followDynamic: boolean) => {
      const seen = new Set<string>();
      const visit = (path: string) => {
        if (seen.has(path) || !metafile.inputs[path]) return;
        seen.add(path);
        for (const edge of metafile.inputs[path].imports) if (followDynamic || edge.kind !== 'dynamic-import') visit(edge.path);
      };
      visit(entry);
      return [...seen];
    };
    const heavy = (paths: string[]) => paths.filter((path) => /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(@modelcontextprotocol\/|zod\/|ajv\/)/.test(path));
    expect(heavy(reached(false))).toEqual([]);
    expect(heavy(reached(true)).length).toBeGreaterThan(10);
  });
});
