/**
 * The MCP layer is loaded at first use (mcp-layer.ts): not when the server starts, once for any
 * number of concurrent first requests, again after a failed load. That the start-up bundle
 * really leaves it out is mcp-layer.e2e.test.ts (it runs esbuild, a child process).
 */
import { describe, expect, it } from 'vitest';
import { mcpLayerOnFirstUse, type ServeMcp } from './mcp-layer.ts';
import type { ReadBody } from './protocol-eras.ts';

const body: ReadBody = { text: '{}', json: { ok: true, value: {} } };
const authInfo = { token: 't', clientId: 'c', scopes: [] };
const request = () => new Request('http://localhost/mcp', { method: 'POST' });

/** A layer whose loads are counted; with `failFirst`, the first load fails. */
function countedLayer({ failFirst }: { failFirst: boolean }) {
  const loads = { count: 0 };
  const serve = mcpLayerOnFirstUse(() => {}, async () => {
    loads.count += 1;
    if (failFirst && loads.count === 1) throw new Error('load failed');
    return async () => new Response('served');
  });
  return { serve, loads };
}

describe('mcpLayerOnFirstUse', () => {
  it('loads nothing until the first request, then loads once for concurrent first requests', async () => {
    let loads = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const serve = mcpLayerOnFirstUse(() => {}, async () => {
      loads += 1;
      await gate;
      const layer: ServeMcp = async () => new Response('served');
      return layer;
    });
    expect(loads).toBe(0);
    const answers = Promise.all([serve(request(), body, authInfo), serve(request(), body, authInfo), serve(request(), body, authInfo)]);
    release();
    const texts = await Promise.all((await answers).map((answer) => answer.text()));
    expect(texts).toEqual(['served', 'served', 'served']);
    await serve(request(), body, authInfo);
    expect(loads).toBe(1);
  });

  it('does not remember a failed load: the next request loads again', async () => {
    const { serve, loads } = countedLayer({ failFirst: true });
    await expect(serve(request(), body, authInfo)).rejects.toThrow('load failed');
    expect(await (await serve(request(), body, authInfo)).text()).toBe('served');
    expect(loads.count).toBe(2);
  });

  it('load() starts the one load ahead of any request; the requests then share it', async () => {
    const { serve, loads } = countedLayer({ failFirst: false });
    serve.load();
    serve.load();
    expect(loads.count).toBe(1);
    expect(await (await serve(request(), body, authInfo)).text()).toBe('served');
    expect(loads.count).toBe(1);
  });

  it('a load() that fails loses nothing: it is not remembered, and the first request loads again', async () => {
    const { serve, loads } = countedLayer({ failFirst: true });
    serve.load();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await (await serve(request(), body, authInfo)).text()).toBe('served');
    expect(loads.count).toBe(2);
  });
});
