/**
 * The few answers of the MCP endpoint that are transport errors, not OAuth errors: a foreign
 * `Origin` (403), a method other than POST (405), a body that is too large (413).
 *
 * MCP transports (2025-11-25), Streamable HTTP: the HTTP response body "MAY comprise a JSON-RPC
 * error response that has no `id`". JSON-RPC 2.0 §5: `id` is `null` when it cannot be known.
 * The shape and code (-32000, "server error" in the implementation-defined range of JSON-RPC
 * 2.0 §5.1) are the ones the MCP SDK's transport uses for the same situations, so a client sees
 * one format whether this server or the SDK refused its request.
 *
 * Every OAuth error (400/401/403 with `WWW-Authenticate`) goes through `oauthErrorResponse`.
 */

export function jsonRpcErrorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  const body = { jsonrpc: '2.0', error: { code: -32000, message }, id: null };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}
