/**
 * DNS-rebinding protection for the MCP endpoint.
 *
 * MCP transports (2025-11-25), Streamable HTTP, "Security Warning":
 *   1. Servers MUST validate the `Origin` header on all incoming connections to prevent DNS
 *      rebinding attacks. If the `Origin` header is present and invalid, servers MUST respond
 *      with HTTP 403 Forbidden. The HTTP response body MAY comprise a JSON-RPC error response
 *      that has no `id`.
 *   2. When running locally, servers SHOULD bind only to localhost (`serve.ts` does, through
 *      `serveApp`, which listens on the resource URL's own host).
 *
 * The attack: a web page on `http://evil.example:8001` re-points its DNS name to 127.0.0.1, and
 * the victim's browser then lets it POST to this local server. The browser still sends
 * `Origin: http://evil.example:8001`, which is not in the allow-list, so the request is refused.
 *
 * Decisions:
 * - No `Origin` header: allowed. Non-browser clients (the SDK client, curl, IDEs) send none, and
 *   a browser always sends one on a POST, so its absence means "not a web page".
 * - The allow-list defaults to the resource's own origin (see `config.ts`); `Origin: null`
 *   (sandboxed frames, file: pages) is never in it.
 * - The check runs before authentication: a hostile page learns nothing, not even a challenge.
 * - The body is the MCP spec's JSON-RPC error without `id` (not an OAuth error: this is a
 *   transport rule, and no token could fix it, so there is no `WWW-Authenticate`).
 */
import type { Emit } from '@mcp-auth-demo/trace';
import { forbiddenOrigin } from './transport-errors.ts';

/** Throws 403 `forbidden_origin` for a foreign `Origin`; returns when the request may proceed. */
export function checkOrigin(request: Request, allowedOrigins: readonly string[], emit: Emit): void {
  const origin = request.headers.get('origin');
  if (origin === null || allowedOrigins.includes(origin)) return;
  emit('origin.rejected', { origin, spec: 'MCP 2025-11-25 transports, Streamable HTTP, Security Warning: "MUST validate the Origin header"' });
  // MCP transports: "If the Origin header is present and invalid, servers MUST respond with HTTP 403 Forbidden."
  throw forbiddenOrigin(origin);
}
