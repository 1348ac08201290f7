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
 */
import type { Emit } from '@mcp-auth-demo/trace';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { ReadBody } from './protocol-eras.ts';

/** What the endpoint calls for an authenticated, authorized request (createProtocolEras's `serve`). */
export type ServeMcp = (request: Request, body: ReadBody, authInfo: AuthInfo) => Promise<Response>;

/** The default loader: the module itself, at first use (esbuild makes it a chunk of its own). */
const importProtocolEras = async (emit: Emit): Promise<ServeMcp> => (await import('./protocol-eras.ts')).createProtocolEras(emit);

/** `serve`, with the MCP layer loaded at its first call (`load` is for tests). */
export function mcpLayerOnFirstUse(emit: Emit, load: (emit: Emit) => Promise<ServeMcp> = importProtocolEras): ServeMcp {
  let loading: Promise<ServeMcp> | undefined;
  return async (request, body, authInfo) => {
    loading ??= load(emit).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    const serve = await loading;
    return serve(request, body, authInfo);
  };
}
