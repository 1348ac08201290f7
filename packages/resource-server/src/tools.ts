/**
 * The MCP server and its two tools.
 *
 * - `whoami`: the caller as this server sees it, straight from the validated access token
 *   (`extra.authInfo`, set by the transport from what `verify-access-token.ts` accepted).
 * - `get_weather`: a deterministic forecast; needs the `weather:read` scope on top of the base
 *   scope. The scope is enforced BEFORE the request reaches the SDK (scopes.ts, mcp-endpoint.ts),
 *   because only there can the answer be the HTTP 403 `insufficient_scope` challenge that lets a
 *   client step up (MCP authorization, "Scope Challenge Handling"); a tool result cannot.
 *
 * Each tool advertises the scopes it needs, in its description (for people and models) and in
 * `_meta` under `mcp-auth-demo/required_scopes` (for programs; MCP `_meta` keys use a prefix
 * of their own), both taken from `TOOL_SCOPES` so they cannot drift from what is enforced.
 *
 * MCP tools spec (2025-11-25 and 2026-07-28): results carry `structuredContent` that conforms
 * to the tool's `outputSchema`, and the same JSON as text for clients that only read `content`.
 *
 * Built once, shared by every per-request server: the zod schemas below (module constants), their
 * JSON Schemas, and ONE JSON-schema validator. Left to itself, every `Server` constructs its own
 * Ajv instance, which profiled as the largest single cost of a request; a validator holds no
 * per-request state (it compiles schemas, caching them by identity), so sharing it keeps requests
 * isolated. Likewise each new server converted the tool's output schema to JSON Schema again on
 * every `tools/call` (a twentieth of the RS's busy time in `pnpm bench`): `convertedOnce` keeps
 * each conversion, deep-frozen, so no request can change what another one reads.
 */
import type { Emit } from '@mcp-auth-demo/trace';
import { McpServer, type AuthInfo } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import * as z from 'zod';
import { BASE_SCOPE, TOOL_SCOPES, type ToolName } from './scopes.ts';
import { forecastFor } from './weather.ts';

export const SERVER_INFO = { name: 'mcp-auth-demo-resource-server', version: '0.1.0' } as const;

/** The `_meta` key under which each tool lists the scopes it needs. */
export const REQUIRED_SCOPES_META_KEY = 'mcp-auth-demo/required_scopes';

/** All the scopes a call of `tool` needs: the base scope plus the tool's own. */
export function toolRequiredScopes(tool: ToolName): string[] {
  return [BASE_SCOPE, ...TOOL_SCOPES[tool]];
}

function advertised(tool: ToolName, description: string) {
  const scopes = toolRequiredScopes(tool);
  return {
    description: `${description} Requires the OAuth scope(s): ${scopes.join(' ')}.`,
    _meta: { [REQUIRED_SCOPES_META_KEY]: scopes },
  };
}

/** The caller, as the validated token describes it. */
export interface Caller {
  sub: string;
  client_id: string;
  scopes: string[];
  audience: string;
  issuer: string;
  /** The token's `exp`, as an ISO 8601 date. */
  expires_at: string;
}

function callerOf(authInfo: AuthInfo | undefined): Caller {
  const extra = authInfo?.extra ?? {};
  if (!authInfo || typeof extra.sub !== 'string' || typeof extra.iss !== 'string' || authInfo.expiresAt === undefined) {
    // Unreachable through the app (every request is authenticated first); the SDK turns it into a tool error.
    throw new Error('No validated access token came with this request.');
  }
  return {
    sub: extra.sub,
    client_id: authInfo.clientId,
    scopes: authInfo.scopes,
    audience: String(extra.aud),
    issuer: extra.iss,
    expires_at: new Date(authInfo.expiresAt * 1000).toISOString(),
  };
}

function result<T extends Record<string, unknown>>(structuredContent: T) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(structuredContent) }], structuredContent };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * The schema, with its Standard JSON Schema conversion (`~standard.jsonSchema`, what the SDK
 * calls for `tools/list` and for every `tools/call` result) made once per direction and options.
 */
function convertedOnce<T extends z.ZodType>(schema: T): T {
  const standard = schema['~standard'];
  const converted = new Map<string, Record<string, unknown>>();
  const once = (io: 'input' | 'output') => (options: Parameters<typeof standard.jsonSchema.input>[0]) => {
    const key = `${io} ${JSON.stringify(options)}`;
    let json = converted.get(key);
    if (json === undefined) converted.set(key, (json = deepFreeze(standard.jsonSchema[io](options))));
    return json;
  };
  // zod's own setter: an own `~standard` on this instance, with the conversions memoised.
  schema['~standard'] = { ...standard, jsonSchema: { input: once('input'), output: once('output') } };
  return schema;
}

const whoamiOutput = convertedOnce(z.object({
  sub: z.string(),
  client_id: z.string(),
  scopes: z.array(z.string()),
  audience: z.string(),
  issuer: z.string(),
  expires_at: z.string(),
}));

const weatherInput = convertedOnce(z.object({ city: z.string().trim().min(1).max(100).describe('The city, e.g. "Amsterdam".') }));

const weatherOutput = convertedOnce(z.object({
  city: z.string(),
  conditions: z.string(),
  temperature_c: z.number(),
  wind_kph: z.number(),
  source: z.enum(['table', 'generated']),
}));

/** The one validator every server instance uses (see the header). */
const jsonSchemaValidator = new AjvJsonSchemaValidator();

/**
 * A new MCP server. The app builds one per HTTP request (stateless Streamable HTTP), so nothing
 * one client does can be seen by another.
 */
export function createMcpServer(emit: Emit): McpServer {
  const server = new McpServer(SERVER_INFO, {
    jsonSchemaValidator,
    instructions: 'A demo MCP server protected by OAuth 2.1. Call whoami to see your token, get_weather for a forecast.',
  });

  server.registerTool(
    'whoami',
    {
      title: 'Who am I?',
      ...advertised('whoami', 'Returns the caller as this server sees it: the access token\'s subject, client, scopes, audience and expiry.'),
      outputSchema: whoamiOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (ctx) => {
      const caller = callerOf(ctx.http?.authInfo);
      emit('tool.invoked', { name: 'whoami', sub: caller.sub });
      return result({ ...caller });
    },
  );

  server.registerTool(
    'get_weather',
    {
      title: 'Weather forecast',
      ...advertised('get_weather', 'Returns a (made-up, deterministic) weather forecast for a city.'),
      inputSchema: weatherInput,
      outputSchema: weatherOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ city }, ctx) => {
      const caller = callerOf(ctx.http?.authInfo);
      emit('tool.invoked', { name: 'get_weather', sub: caller.sub });
      return result({ ...forecastFor(city) });
    },
  );

  return server;
}
