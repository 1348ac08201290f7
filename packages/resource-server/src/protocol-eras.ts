/**
 * Both protocol eras on one endpoint, decided per request (MCP 2026-07-28, basic/versioning,
 * "Backward compatibility", and basic/transports/streamable-http, "Backward Compatibility").
 *
 * - **2026-07-28** ("modern"): a request names its revision itself, in the
 *   `MCP-Protocol-Version` header and in `params._meta["io.modelcontextprotocol/protocolVersion"]`,
 *   and carries `Mcp-Method` (and `Mcp-Name` for `tools/call`). No `initialize`, no session: the
 *   request is self-describing, so any instance of the server can answer it. The SDK's
 *   `createMcpHandler` serves it: `server/discover`, the header/body checks of transports
 *   "Server Validation" (400 `-32020` HeaderMismatch) and the version check (400 `-32022` UnsupportedProtocolVersion with the
 *   `supported` list) all happen there, before a server instance is built.
 * - **2025-11-25** ("legacy"): a request without that claim, `initialize` first. It is served
 *   statelessly by a fresh server over the SDK's Streamable HTTP transport with JSON responses,
 *   as before.
 *
 * The era is read by the SDK's own classifier (`isLegacyRequest`), the very code
 * `createMcpHandler` routes with, so this module and the SDK cannot disagree about a request.
 * Both legs build their server from ONE factory (`createMcpServer`), so the eras see the same
 * tools. Everything here runs AFTER the authorization checks of mcp-endpoint.ts, which are the
 * same for both eras (MCP 2026-07-28 leaves PRM, challenges and 401/403 unchanged).
 *
 * Why a hand-wired legacy leg instead of `createMcpHandler`'s built-in `legacy: 'stateless'`:
 * the built-in leg answers with SSE streams; this one keeps JSON answers for 2025 clients (the
 * spec lets the server choose), and it is where a 2025 JSON-RPC batch that cancels its own call
 * is made to get an answer (see `withoutSelfCancellations`).
 */
import type { ProtocolRevision } from '@mcp-auth-demo/common';
import type { Emit } from '@mcp-auth-demo/trace';
import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type McpServer,
  type AuthInfo,
} from '@modelcontextprotocol/server';
import { createMcpServer } from './tools.ts';


/** The body as the endpoint read it once: its text, and its JSON value when it parses. */
export interface ReadBody {
  text: string;
  json: { ok: true; value: unknown } | { ok: false };
}

/** The longest a request may take before it is answered with an error anyway (either era). */
export const LEGACY_RESPONSE_DEADLINE_MS = 30_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A 2025 JSON-RPC batch may carry `notifications/cancelled` for a request of the same batch.
 * The SDK then never sends that request's response, and a JSON answer waits for every response
 * of the batch: the POST would hang forever. MCP 2025-11-25, utilities/cancellation: receivers
 * "MAY ignore cancellation notifications if the request is unknown, already completed, or
 * cannot be cancelled"; a request cancelled before it was even delivered is one we ignore, so
 * the batch is answered in full.
 */
export function withoutSelfCancellations(body: unknown): unknown {
  if (!Array.isArray(body)) return body;
  const ids = new Set(body.filter((m) => isObject(m) && 'id' in m && typeof m.method === 'string').map((m) => (m as { id: unknown }).id));
  return body.filter(
    (m) => !(isObject(m) && m.method === 'notifications/cancelled' && isObject(m.params) && ids.has(m.params.requestId)),
  );
}

/** The request with its body restored (the endpoint consumed the original stream). */
function replay(request: Request, text: string, signal?: AbortSignal): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body: text, ...(signal && { signal }) });
}

function methodOf(body: ReadBody): string {
  const value = body.json.ok ? body.json.value : undefined;
  if (Array.isArray(value)) return `batch of ${value.length}`;
  return isObject(value) && typeof value.method === 'string' ? value.method : '(no method)';
}

/**
 * The last-resort answer when the SDK has not answered in time (a defect, not bad input: the
 * known way to get there is closed by `withoutSelfCancellations`). JSON-RPC 2.0 §5.1 -32603.
 */
function deadlineResponse(): Response {
  const body = { jsonrpc: '2.0', error: { code: -32603, message: 'The request was not answered in time.' }, id: null };
  return new Response(JSON.stringify(body), { status: 503, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Connection: 'close' } });
}

export interface ProtocolErasOptions {
  /** A request not answered within this many milliseconds gets a 503 (default 30 s). */
  legacyDeadlineMs?: number;
  /** Builds the per-request server (default: the two tools of tools.ts). */
  createServer?: () => McpServer;
}

/**
 * The MCP layer of the endpoint: `serve(request, body, authInfo)` answers an authenticated,
 * authorized request in whichever era it speaks. Built once per app; every request still gets
 * its own server instance.
 */
export function createProtocolEras(emit: Emit, options: ProtocolErasOptions = {}) {
  const deadlineMs = options.legacyDeadlineMs ?? LEGACY_RESPONSE_DEADLINE_MS;
  const factory = options.createServer ?? (() => createMcpServer(emit));
  // Modern leg: the SDK's entry, strict (a legacy request never reaches it, see below).
  const modern = createMcpHandler(factory, { legacy: 'reject' });

  /**
   * Every POST gets an answer in bounded time, whatever the SDK does with it: at the deadline
   * the exchange is aborted (the SDK stops work on an aborted request) and a 503 goes out.
   */
  async function withDeadline(answer: (signal: AbortSignal) => Promise<Response>): Promise<Response> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Response>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve(deadlineResponse());
      }, deadlineMs);
      timer.unref();
    });
    try {
      return await Promise.race([answer(abort.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function serveLegacy(request: Request, body: ReadBody, authInfo: AuthInfo): Promise<Response> {
    const server = factory();
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await withDeadline((signal) =>
        body.json.ok
          ? transport.handleRequest(replay(request, body.text, signal), { authInfo, parsedBody: withoutSelfCancellations(body.json.value) })
          : transport.handleRequest(replay(request, body.text, signal), { authInfo }),
      );
    } finally {
      await server.close();
    }
  }

  return async function serve(request: Request, body: ReadBody, authInfo: AuthInfo): Promise<Response> {
    const legacy = body.json.ok ? await isLegacyRequest(request, body.json.value) : true;
    const era: ProtocolRevision = legacy ? '2025-11-25' : '2026-07-28';
    emit('mcp.era_detected', {
      era,
      method: methodOf(body),
      evidence: legacy
        ? 'no protocol-version claim: the 2025 path'
        : 'MCP-Protocol-Version header + _meta: self-describing, any instance can answer',
      spec: legacy ? 'MCP 2026-07-28 versioning, backward compatibility' : 'MCP 2026-07-28 transports, request metadata',
    });
    if (legacy) return serveLegacy(request, body, authInfo);
    return withDeadline((signal) => modern.fetch(replay(request, body.text, signal), { authInfo, ...(body.json.ok && { parsedBody: body.json.value }) }));
  };
}
