/**
 * A 2026-07-28 request as a test sends it: the `_meta` envelope in the body (the revision, the
 * client's info and capabilities) and the same facts mirrored in the headers (MCP 2026-07-28
 * transports, "Server Validation").
 */
export const MODERN = '2026-07-28';
export const META_VERSION = 'io.modelcontextprotocol/protocolVersion';

export function modernRequest(method: string, params: Record<string, unknown> = {}, { version = MODERN, id = 7 as unknown } = {}) {
  return {
    jsonrpc: '2.0',
    id,
    method,
    params: {
      ...params,
      _meta: {
        [META_VERSION]: version,
        'io.modelcontextprotocol/clientInfo': { name: 'test', version: '0' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  };
}

export function modernHeaders(method: string, name?: string, version = MODERN): Record<string, string> {
  return { 'mcp-protocol-version': version, 'mcp-method': method, ...(name !== undefined && { 'mcp-name': name }) };
}
