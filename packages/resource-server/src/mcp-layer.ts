/**
 * The MCP layer of the endpoint (protocol-eras.ts: the MCP SDK, zod and its protocol schemas,
 * Ajv, the tools), loaded at the first request that reaches it instead of at start-up.
 *
 * Why: that layer is most of this server's code (about 1 MB of bundle, and the SDK builds its
 * hundreds of zod schemas when it is imported), and a server that nobody has called yet does not
 * need it. Everything before it (origin, bearer token, verification, scopes) stays loaded, so
 * an anonymous or unauthorized request never loads it either. Issue 27: the idle RSS of each
 * server stays within 55-64 MB; `pnpm bench` prints it.
 *
 * - Loaded once: concurrent first requests share one load; later requests reuse it.
 * - A load that fails (it should not: the module is part of the build) is not remembered, so the
 *   next request tries again instead of failing forever; that request gets the 500 of app.onError.
 * - `load()` starts it ahead of any request. `pnpm demo` asks for that once the server listens
 *   (MCP_DEMO_LOAD_MCP_LAYER_AT_START, serve.ts): its client calls within a fraction of a second,
 *   and the load then overlaps the other servers' start-up instead of the first MCP request.
 *   `pnpm serve` and `pnpm bench` leave it lazy, so their idle RSS is that of a server not yet called.
 */
import type { Emit } from '@mcp-auth-demo/trace';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { ReadBody } from './protocol-eras.ts';

/** What the endpoint calls for an authenticated, authorized request (createProtocolEras's `serve`). */
export type ServeMcp = (request: Request, body: ReadBody, authInfo: AuthInfo) => Promise<Response>;

/** The default loader: the module itself, at first use (esbuild makes it a chunk of its own). */
const importProtocolEras = async (emit: Emit): Promise<ServeMcp> => (await import('./protocol-eras.ts')).createProtocolEras(emit);

/** `serve`, and `load` to start loading before the first call. */
export type LazyMcpLayer = ServeMcp & {
  /** Starts the load now (once; a failure is left for the next request to retry and answer). */
  load(): void;
};

/** `serve`, with the MCP layer loaded at its first call, or at `load()` (`importLayer` is for tests). */
export function mcpLayerOnFirstUse(emit: Emit, importLayer: (emit: Emit) => Promise<ServeMcp> = importProtocolEras): LazyMcpLayer {
  let loading: Promise<ServeMcp> | undefined;
  const loaded = () =>
    (loading ??= importLayer(emit).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
  const serve: ServeMcp = async (request, body, authInfo) => (await loaded())(request, body, authInfo);
  return Object.assign(serve, { load: () => void loaded().catch(() => {}) });
}
