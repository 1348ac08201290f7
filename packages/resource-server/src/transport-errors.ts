/**
 * The answers of the MCP endpoint that are transport errors, not OAuth errors: a foreign `Origin`
 * (403), a method other than POST (405), a body that is too large (413). No token could fix
 * them, so they carry no `WWW-Authenticate` challenge.
 *
 * Each is the project's one error type (`OAuthError` with an `HttpErrorCode`), thrown like any
 * other and answered and traced in one place, `app.onError`. MCP transports (2025-11-25),
 * Streamable HTTP: the HTTP response body "MAY comprise a JSON-RPC error response that has no
 * `id`"; `jsonRpc` asks the renderer for exactly that shape (code -32000, as the MCP SDK's
 * transport answers the same situations).
 */
import { OAuthError } from '@mcp-auth-demo/common';

export function forbiddenOrigin(origin: string): OAuthError {
  return new OAuthError('forbidden_origin', `Forbidden: the Origin ${origin} is not allowed to use this MCP server.`, { jsonRpc: true });
}

export function methodNotAllowed(): OAuthError {
  // RFC 9110 §15.5.6: a 405 "MUST generate an Allow header field".
  return new OAuthError('method_not_allowed', 'Method not allowed: this stateless MCP server accepts only POST.', {
    jsonRpc: true,
    headers: { Allow: 'POST' },
  });
}

export function payloadTooLarge(maxBytes: number): OAuthError {
  return new OAuthError('payload_too_large', `Payload too large: the request body must not exceed ${maxBytes} bytes.`, { jsonRpc: true });
}

export function notFound(path: string): OAuthError {
  return new OAuthError('not_found', `Nothing is served at ${path}.`);
}
