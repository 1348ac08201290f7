/**
 * The MCP side of the client: the official SDK v2 `Client` over `StreamableHTTPClientTransport`,
 * with a `fetch` that puts the access token in the `Authorization` header of every request
 * (MCP "Token Requirements": never in the query string) and keeps the last 401/403 challenge.
 *
 * It speaks either protocol revision (`spec`):
 * - `2025-11-25`: the `initialize` handshake, then requests the server understands in that
 *   negotiated context (MCP 2025-11-25 lifecycle).
 * - `2026-07-28`: no handshake. The SDK checks with `server/discover` that the server speaks
 *   2026-07-28, then every request carries its revision in `_meta` and in the
 *   `MCP-Protocol-Version` header, and its method (and tool name) in `Mcp-Method` / `Mcp-Name`
 *   (MCP 2026-07-28 transports, "Request Metadata"): each request stands alone, so any server
 *   instance can answer it.
 * - `auto`: probe with `server/discover`; a server that does not answer it as a 2026-07-28
 *   server is spoken to in 2025-11-25 (MCP 2026-07-28 transports, "Backward Compatibility").
 *
 * The SDK's own OAuth support (`authProvider`) is deliberately not used: the journey runs the
 * authorization itself so that every step can be traced and taught. When a request is refused,
 * the SDK throws; this wrapper turns that into an `AuthorizationChallenge` the journey acts on.
 */
import { Client, StreamableHTTPClientTransport, type VersionNegotiationMode } from '@modelcontextprotocol/client';
import { bearerChallenge, type ProtocolRevision, type SpecChoice } from '@mcp-auth-demo/common';
import { type Emit } from '@mcp-auth-demo/trace';
import type { Fetch } from './traced-fetch.ts';

/** The server refused the request for lack of (sufficient) authorization. */
export class AuthorizationChallenge extends Error {
  override readonly name = 'AuthorizationChallenge';
  constructor(
    readonly status: 401 | 403,
    /** The Bearer challenge's parameters (`error`, `scope`, `resource_metadata`, …). */
    readonly params: Record<string, string>,
  ) {
    super(`HTTP ${status}${params.error ? ` ${params.error}` : ''}`);
  }
}

export interface ToolOutcome {
  text: string;
  isError: boolean;
  structuredContent?: Record<string, unknown>;
}

/** Which protocol revision to speak (common's protocol-revision.ts, where the CLIs check the flag). */
export { isSpecChoice, SPEC_CHOICES, type SpecChoice } from '@mcp-auth-demo/common';

/** How the SDK is asked to negotiate for each choice. */
function negotiation(spec: SpecChoice): VersionNegotiationMode {
  if (spec === '2025-11-25') return 'legacy';
  if (spec === '2026-07-28') return { pin: '2026-07-28' };
  return 'auto';
}

/** A tool as the default selection sees it: what it requires, and whether it needs tasks. */
export interface ListedTool {
  name: string;
  required: string[];
  /** `execution.taskSupport` (MCP 2025-11-25 tools): `required` tools cannot be called plainly. */
  taskSupport: string;
}

export class McpConnection {
  private accessToken: string | undefined;
  private lastChallenge: AuthorizationChallenge | undefined;
  private client: Client | undefined;
  private transport: StreamableHTTPClientTransport | undefined;
  /** The answer to the session's DELETE (see close). */
  private deleteStatus: number | 'no answer' = 'no answer';

  constructor(
    private readonly serverUrl: string,
    private readonly fetch: Fetch,
    private readonly emit: Emit,
    private readonly spec: SpecChoice = '2025-11-25',
  ) {}

  /** Later requests carry this token; the SDK connection itself is kept. */
  useToken(token: string): void {
    this.accessToken = token;
  }

  private readonly authorizedFetch: Fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (this.accessToken) headers.set('Authorization', `Bearer ${this.accessToken}`);
    const response = await this.fetch(input, { ...init, headers });
    if (init?.method === 'DELETE') this.deleteStatus = response.status;
    if (response.status === 401 || response.status === 403) {
      const params = bearerChallenge(response.headers.get('www-authenticate')) ?? {};
      this.lastChallenge = new AuthorizationChallenge(response.status, params);
      this.emit('challenge.parsed', {
        status: response.status,
        ...(params.error && { error: params.error }),
        ...(params.scope !== undefined && { scope: params.scope }),
        ...(params.resource_metadata && { resource_metadata: params.resource_metadata }),
        spec: response.status === 401 ? 'RFC 6750 §3, RFC 9728 §5.1' : 'RFC 6750 §3.1 insufficient_scope',
      });
    }
    return response;
  };

  /** Runs an SDK call; a refusal with a challenge becomes an `AuthorizationChallenge`. */
  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    this.lastChallenge = undefined;
    try {
      return await call();
    } catch (error) {
      if (this.lastChallenge) throw this.lastChallenge;
      throw error;
    }
  }

  /**
   * Connects in the chosen revision (a fresh SDK client each time, so a refused attempt leaves
   * nothing behind): the 2025-11-25 handshake, or the 2026-07-28 `server/discover` check.
   */
  async connect(): Promise<void> {
    if (this.client) return;
    const client = new Client({ name: 'mcp-auth-demo-client', version: '0.1.0' }, { versionNegotiation: { mode: negotiation(this.spec) } });
    const transport = new StreamableHTTPClientTransport(new URL(this.serverUrl), { fetch: this.authorizedFetch });
    try {
      await this.guarded(() => client.connect(transport));
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    this.client = client;
    const modern = client.getProtocolEra() === 'modern';
    const version = client.getNegotiatedProtocolVersion() ?? 'unknown';
    this.emit('mcp.connected', {
      revision: version,
      chosen: this.spec,
      handshake: modern ? 'none: server/discover confirmed the revision; every request carries it' : 'initialize',
      spec: modern ? 'MCP 2026-07-28 transports, "Request Metadata"; versioning, server/discover' : 'MCP 2025-11-25 lifecycle, initialization',
    });
    this.transport = transport;
    // A stateful server names the session in `Mcp-Session-Id`; the SDK sends it on every later
    // request (MCP 2025-11-25 transports, "Session Management").
    if (transport.sessionId) this.emit('mcp.session_started', { session_id: transport.sessionId, spec: 'MCP 2025-11-25 transports, Session Management' });
  }

  async listTools(): Promise<ListedTool[]> {
    await this.connect();
    const { tools } = await this.guarded(() => this.client!.listTools());
    return tools.map((t) => ({
      name: t.name,
      required: (t.inputSchema.required as string[] | undefined) ?? [],
      taskSupport: (t as { execution?: { taskSupport?: string } }).execution?.taskSupport ?? 'forbidden',
    }));
  }

  async callTool(name: string, args: Record<string, unknown>): Promise<ToolOutcome> {
    await this.connect();
    this.emit('tool.called', { name, arguments: args });
    const result = await this.guarded(() => this.client!.callTool({ name, arguments: args }));
    const content = Array.isArray(result.content) ? result.content : [];
    const text = content
      .map((c: { type: string; text?: string }) => (c.type === 'text' ? c.text : `[${c.type}]`))
      .join('\n');
    const outcome: ToolOutcome = {
      text,
      isError: result.isError === true,
      ...(result.structuredContent ? { structuredContent: result.structuredContent as Record<string, unknown> } : {}),
    };
    this.emit('tool.result', { name, text, isError: outcome.isError });
    return outcome;
  }

  /** The revision the connection speaks, once connected. */
  get revision(): string | undefined {
    return this.client?.getNegotiatedProtocolVersion();
  }

  /** The session the server gave this connection (`Mcp-Session-Id`), if any. */
  get sessionId(): string | undefined {
    return this.transport?.sessionId;
  }

  /**
   * Ends the session, if the server gave one, with an HTTP DELETE (MCP 2025-11-25 transports,
   * "Session Management": clients that no longer need a session SHOULD end it explicitly), then
   * closes the SDK client. A server may answer 405 (it does not let clients end sessions).
   */
  async close(): Promise<void> {
    const sessionId = this.transport?.sessionId;
    if (sessionId && this.transport) {
      this.deleteStatus = 'no answer';
      await this.transport.terminateSession().catch(() => {});
      const status = this.deleteStatus;
      this.emit('mcp.session_ended', { session_id: sessionId, status, spec: 'MCP 2025-11-25 transports, Session Management' });
    }
    await this.client?.close().catch(() => {});
    this.client = undefined;
    this.transport = undefined;
  }
}
