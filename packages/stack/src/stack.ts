/**
 * The three servers of the demo as real processes: start them, know when each is ready, hear
 * their trace, and stop them all, whatever happened. The orchestrator (demo.ts, serve.ts) uses
 * this; it imports no app internals, only the path of each package's `serve.ts`.
 *
 * - Ready means "the process said `server.listening`": no polling, no fixed sleep.
 * - A port already taken ends with the server's own message naming the port and the remedy.
 * - Children get a stdin pipe and exit when it closes, so even a killed orchestrator leaves no
 *   orphan; on a normal stop they get SIGTERM, and SIGKILL if they do not exit in time.
 * - The trace is merged here: each child writes its events as JSON lines on stdout, and every
 *   event of every server reaches the one `onEvent`, which the caller's trace writer orders.
 *
 * The child's side of this contract (listen, write events, exit with the parent, the exit code
 * for a taken port) is `serveApp` in @mcp-auth-demo/common, not here: every server's `serve.ts`
 * uses it, and a server must not depend on the orchestrator that starts it.
 */
import { ENV, formatResourceList } from '@mcp-auth-demo/common';
import { EXIT_PORT_IN_USE, EXIT_WITH_PARENT_ENV } from '@mcp-auth-demo/server-process';
import { parseEventLine, type Party, type TraceEvent } from '@mcp-auth-demo/trace';
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackUrls } from './ports.ts';

/**
 * How a server is run follows how the stack itself runs: from the TypeScript sources (tests,
 * tsx) the servers run from theirs through tsx; from the bundle (`pnpm demo`, scripts/run.mjs)
 * they run from their bundles in dist/, on plain node, which starts several times faster.
 */
const here = fileURLToPath(import.meta.url);
const fromSources = here.endsWith('.ts');
const root = workspaceRoot(dirname(here));

function workspaceRoot(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'pnpm-workspace.yaml'))) return at;
    if (dirname(at) === at) throw new Error(`no pnpm-workspace.yaml above ${dir}`);
  }
}

/**
 * The command line of a server: its bundle (dist/ mirrors the source paths) or its source.
 * `--expose-gc`: a server collects its garbage once it goes quiet after a load (server-process
 * idle-collection.ts, issue 23).
 */
function serverCommand(entry: string, bundles: boolean): string[] {
  return ['--expose-gc', ...(bundles ? [join('dist', entry.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', entry])];
}
const SERVERS: { party: Party; entry: string }[] = [
  { party: 'authorization-server', entry: 'packages/authorization-server/src/serve.ts' },
  { party: 'resource-server', entry: 'packages/resource-server/src/serve.ts' },
  { party: 'client-host', entry: 'packages/client/src/serve.ts' },
];

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export class StackError extends Error {
  override readonly name = 'StackError';
}

export interface Stack {
  /** Resolves when every server listens; rejects (with the server's own words) if one cannot. */
  readonly ready: Promise<void>;
  /** Resolves if a server dies while the stack should be running. */
  readonly died: Promise<string>;
  /** Stops every server started so far and waits for each to exit; safe at any moment. */
  stop(): Promise<void>;
  /** The process id of each server started (for measurements such as `pnpm bench`'s RSS). */
  pids(): Partial<Record<Party, number>>;
}

/** Which authorization server the stack runs: ours, or panva's oidc-provider (`--as oidc-provider`). */
export type AuthorizationServerKind = 'ours' | 'oidc-provider';

/** Where each kind of authorization server starts. */
const AUTHORIZATION_SERVER_ENTRIES: Record<AuthorizationServerKind, string> = {
  ours: 'packages/authorization-server/src/serve.ts',
  'oidc-provider': 'packages/oidc-provider-as/src/serve.ts',
};

export interface StackOptions {
  /** Default `ours`. */
  authorizationServer?: AuthorizationServerKind;
  /** The authorization server shows its sign-in and consent page for every request (`--interactive`). */
  interactive?: boolean;
  /** The authorization server accepts a request without `resource`, applying a default audience (`pnpm serve --lenient`). */
  lenient?: boolean;
  /** The AS refuses a refresh until the token's last 60 s (`--accommodate-sdk1-step-up`, typescript-sdk #2255). */
  accommodateSdk1StepUp?: boolean;
  /**
   * Run the servers from their bundles in dist/ even when the stack itself runs from sources:
   * `pnpm bench` measures what `pnpm demo` runs (the caller makes sure dist/ is built).
   */
  bundles?: boolean;
  /** Seconds the MCP server reuses a positive introspection answer (default: its own, 0). */
  introspectionCacheSeconds?: number;
  /**
   * The MCP server asks the AS about every token (RFC 7662), the contrast (`--introspect-every-request`).
   * Default: it subscribes to the AS's pushed revocation SETs (RFC 8935) and checks tokens locally
   * while that channel is live; `ready` then waits until it is, so the subscription is part of the
   * start-up (the cast), not of step [1].
   */
  introspectEveryRequest?: boolean;
  /**
   * The MCP server loads its MCP layer once it listens, not at the first MCP request (mcp-layer.ts):
   * `pnpm demo`, whose client calls at once. Default: lazy, so an uncalled server's idle RSS stays low.
   */
  loadMcpLayerAtStart?: boolean;
  /**
   * Also run these MCP servers, each on its own port and resource URI, for which the
   * authorization server issues tokens too (the scenarios' other servers). They check tokens
   * locally: the AS's introspection client is the main MCP server only.
   */
  extraServers?: ExtraMcpServer[];
  /**
   * Resource URIs the authorization server also issues tokens for, which no process serves: the
   * default run's audience contrast presents such a token to the MCP server (client contrasts.ts).
   */
  unservedResources?: string[];
  /**
   * Someone's own MCP servers (`--resource URL`, repeatable): the authorization server issues
   * tokens for them too; no process of the stack serves them (resource-uri.ts checks each).
   */
  resources?: string[];
  /** The AS serves the grading facility of `pnpm client --grade` (a named deviation; `pnpm serve`). */
  gradingTokens?: boolean;
  /**
   * `--https`: what every server's environment gains, the paths of the lab's TLS files
   * (https-mode.ts, local-ca `labTlsEnvironment`). The URLs must then be https.
   */
  tlsEnvironment?: Record<string, string>;
}

/** A further MCP server of the stack. */
export interface ExtraMcpServer {
  /** Its canonical resource URI (its port is the port it listens on). */
  resource: string;
  /**
   * The lifetime of its access tokens at the AS, seconds (per-resource, as real authorization
   * servers set it per API). Such a server allows no clock skew: every process shares one clock.
   */
  tokenTtlSeconds?: number;
}

/** Spawns the servers at once; `ready` says when they listen. Call `stop()` whatever happens. */
export function startStack(urls: StackUrls, onEvent: (event: TraceEvent) => void, options: StackOptions = {}): Stack {
  const asKind = options.authorizationServer ?? 'ours';
  const servers = SERVERS.map((server) =>
    server.party === 'authorization-server' ? { ...server, entry: AUTHORIZATION_SERVER_ENTRIES[asKind] } : server,
  );
  const extras = options.extraServers ?? [];
  const otherResources = [...(options.resources ?? []), ...extras.map((extra) => extra.resource), ...(options.unservedResources ?? [])];
  const children: ResultPromise[] = [];
  const pidOf: Partial<Record<Party, number>> = {};
  let stopping = false;
  let reportDeath: (why: string) => void = () => {};
  const died = new Promise<string>((resolve) => (reportDeath = resolve));
  // The MCP server's RFC 7662 introspection secret at the AS: fresh per run, known to these two
  // only. Not for oidc-provider, which does not introspect its JWT access tokens.
  const introspectionSecret = asKind === 'ours' ? randomBytes(32).toString('base64url') : undefined;

  const stop = async () => {
    stopping = true;
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await child.catch(() => {});
        clearTimeout(timer);
      }),
    );
  };

  const start = ({ party, entry }: (typeof SERVERS)[number], resource = urls.resource) =>
    new Promise<void>((resolve, reject) => {
      const child = execa(process.execPath, serverCommand(entry, options.bundles ?? !fromSources), {
        cwd: root,
        env: {
          [ENV.issuer]: urls.issuer,
          [ENV.resource]: resource,
          ...(party === 'authorization-server' && otherResources.length > 0 && {
            [ENV.otherResources]: formatResourceList(otherResources),
            [ENV.tokenLifetimes]: extras.flatMap((extra) => (extra.tokenTtlSeconds ? [`${extra.resource}=${extra.tokenTtlSeconds}`] : [])).join(' '),
          }),
          ...(party === 'resource-server' && extras.some((extra) => extra.resource === resource && extra.tokenTtlSeconds) && { [ENV.clockToleranceSeconds]: '0' }),
          [ENV.clientBase]: urls.clientBase,
          // An extra MCP server checks tokens locally: the AS's introspection client is the main one.
          ...(party === 'client-host' || !introspectionSecret || resource !== urls.resource ? {} : { [ENV.introspectionSecret]: introspectionSecret }),
          [EXIT_WITH_PARENT_ENV]: '1',
          ...options.tlsEnvironment,
          ...(options.interactive && { [ENV.interactive]: '1' }),
          ...(options.lenient && { [ENV.lenientAuthorizationServer]: '1' }),
          ...(party === 'authorization-server' && options.gradingTokens && { [ENV.gradingTokens]: '1' }),
          ...(options.accommodateSdk1StepUp && { [ENV.accommodateSdk1StepUp]: '1' }),
          ...(party === 'resource-server' && options.introspectEveryRequest && { [ENV.introspectEveryRequest]: '1' }),
          ...(party === 'resource-server' && options.loadMcpLayerAtStart && { [ENV.loadMcpLayerAtStart]: '1' }),
          ...(party === 'resource-server' && options.introspectionCacheSeconds !== undefined && { [ENV.introspectionCacheSeconds]: String(options.introspectionCacheSeconds) }),
        },
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: 'pipe',
        reject: false,
        buffer: { stdout: false, stderr: true },
        cleanup: true,
      });
      children.push(child);
      if (child.pid !== undefined && resource === urls.resource) pidOf[party] = child.pid;
      const timer = setTimeout(() => reject(new StackError(`${party} did not start within ${READY_TIMEOUT_MS / 1000}s`)), READY_TIMEOUT_MS);
      // What "ready" waits for: listening, and for the MCP server that receives pushed revocations,
      // its revocation channel live (RFC 8935), so step [1] never races the subscription.
      const awaited = new Set<TraceEvent['kind']>(['server.listening']);
      if (party === 'resource-server' && resource === urls.resource && introspectionSecret && !options.introspectEveryRequest) {
        awaited.add('revocation_channel.live');
      }

      createInterface({ input: child.stdout! }).on('line', (line) => {
        const event = parseEventLine(line);
        if (!event) return;
        onEvent(event);
        if (awaited.delete(event.kind) && awaited.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });

      void child.then((result) => {
        clearTimeout(timer);
        const said = String(result.stderr ?? '').trim().split('\n').slice(-3).join('\n');
        const why = result.exitCode === EXIT_PORT_IN_USE
          ? said
          : `${party} exited (${result.exitCode ?? result.signal})${said ? `: ${said}` : ''}`;
        reject(new StackError(why));
        if (!stopping) reportDeath(why);
      });
    });

  const mcpServer = servers.find((s) => s.party === 'resource-server')!;
  const ready = Promise.all([
    ...servers.map((server) => start(server)),
    ...extras.map((extra) => start(mcpServer, extra.resource)),
  ]).then(() => {});
  ready.catch(() => {}); // the caller awaits it; a rejection before that is not unhandled
  return { ready, died, stop, pids: () => ({ ...pidOf }) };
}
