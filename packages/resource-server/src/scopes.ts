/**
 * Which scopes an MCP request needs. ONE strategy, used for every decision and every challenge:
 *
 * 1. Every MCP request needs the base scope `mcp:connect`.
 * 2. A `tools/call` also needs the scopes of the tool it names (`TOOL_SCOPES`).
 * 3. A body that carries several messages (a JSON-RPC batch, still accepted by the SDK for
 *    older protocol revisions) needs the union of what each message needs, so batching can
 *    never smuggle a call past the check.
 * 4. A body that is not JSON needs only the base scope: nothing in it can run, and the MCP
 *    transport answers it with a JSON-RPC parse error.
 *
 * The 403 `insufficient_scope` of a token that lacks some scopes names all the scopes the
 * request needs, held or not (MCP authorization 2025-11-25, "Scope Challenge Handling", the
 * recommended approach: "Include both existing relevant scopes and newly required scopes").
 * A 401 is decided from the headers alone, before the body is read (so a stranger cannot make
 * this server parse megabytes), so it names the base scope; a client that then calls a tool
 * needing more gets the 403 above and steps up.
 *
 * - RFC 6750 §3.1 (`insufficient_scope`: "The request requires higher privileges than provided
 *   by the access token"; 403) and §3 (the `scope` attribute).
 * - RFC 6749 §3.3: the scope value is a list of space-delimited, case-sensitive strings.
 */
import { OAuthError, SCOPES } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';

/** Needed by every MCP request; asked for by the 401 challenge of a plain MCP request. */
export const BASE_SCOPE = SCOPES.connect;

/** The scopes each tool needs on top of the base scope. Tools advertise them in `_meta`. */
export const TOOL_SCOPES = {
  whoami: [],
  get_weather: [SCOPES.weatherRead],
} as const satisfies Record<string, readonly string[]>;

export type ToolName = keyof typeof TOOL_SCOPES;

/** Every scope this server knows, for `scopes_supported` (RFC 9728 §2). */
export const SCOPES_SUPPORTED: readonly string[] = [...new Set([BASE_SCOPE, ...Object.values(TOOL_SCOPES).flat()])];

/** What a request needs, and a short name of what it does (for the trace). */
export interface RequiredScopes {
  scopes: string[];
  /** The tool a `tools/call` names, else the JSON-RPC method, e.g. `get_weather` or `initialize`. */
  operation: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The extra scopes of a tool; an unknown name needs none (the SDK answers "not found"). */
export function scopesForTool(name: string): readonly string[] {
  return Object.hasOwn(TOOL_SCOPES, name) ? TOOL_SCOPES[name as ToolName] : [];
}

/** The scopes a parsed JSON-RPC body needs (`undefined` when the body was not JSON). */
export function requiredScopes(body: unknown): RequiredScopes {
  const scopes = new Set<string>([BASE_SCOPE]);
  const operations: string[] = [];
  for (const message of Array.isArray(body) ? body : [body]) {
    if (!isObject(message) || typeof message.method !== 'string') continue;
    const params = message.params;
    if (message.method === 'tools/call' && isObject(params) && typeof params.name === 'string') {
      operations.push(params.name);
      for (const scope of scopesForTool(params.name)) scopes.add(scope);
    } else {
      operations.push(message.method);
    }
  }
  return { scopes: [...scopes], operation: operations.join(', ') || '(no method)' };
}

/** RFC 6749 §3.3: `scope = scope-token *( SP scope-token )`. */
export function parseScopeClaim(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((token) => token !== ''))];
}

/**
 * Throws 403 `insufficient_scope` when the token lacks any scope the request needs. `token`: the
 * token's client_id and jti as it states them, for the trace (the grader ties the 403 to its session).
 */
export function checkScopes(held: readonly string[], required: RequiredScopes, emit: Emit, token: { client_id?: string; jti?: string } = {}): void {
  const missing = required.scopes.filter((scope) => !held.includes(scope));
  if (missing.length === 0) return;
  emit('scope.insufficient', {
    tool: required.operation,
    required: required.scopes,
    held: [...held],
    ...(token.client_id ? { client_id: token.client_id } : {}),
    ...(token.jti ? { jti: token.jti } : {}),
    spec: 'RFC 6750 §3.1 insufficient_scope; MCP 2025-11-25 authorization "Runtime Insufficient Scope Errors"',
  });
  // RFC 6750 §3.1: "The resource server SHOULD respond with the HTTP 403 (Forbidden) status code
  // and MAY include the "scope" attribute with the scope necessary to access the protected resource."
  throw new OAuthError('insufficient_scope', `${required.operation} requires the scope ${missing.join(' ')}, which the access token does not grant.`);
}
