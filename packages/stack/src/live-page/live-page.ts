/**
 * The live page of `pnpm serve` (issue 26): the picture of each connecting client's journey,
 * growing as the servers decide, with that client's verdict card beside it. Served by the
 * orchestrator, not by any party of the flow, on loopback only.
 *
 * - `GET /` the page (render.ts), `GET /events` its stream of updates (server-sent events, WHATWG
 *   HTML §9.2): on connecting, every client's block; then, once per burst of events
 *   (`burstMs`), the blocks that changed. A picture is drawn again only when its client's events did.
 * - DNS rebinding: the page answers only when `Host` is one of its own loopback names
 *   (127.0.0.1 or localhost, with its port), and the stream only to its own `Origin`. The
 *   listener binds 127.0.0.1 (startLivePage), so nothing off the machine reaches it at all.
 * - Bounded: MAX_STREAMS open streams at once; the journeys themselves are bounded (journeys.ts).
 *
 * `createLivePage` opens no port: tests call its `fetch` as they call an app's `request`.
 */
import type { TraceEvent } from '@mcp-auth-demo/trace';
import type { Card } from '@mcp-auth-demo/verdicts';
import { createLiveJourneys, type LiveJourneys } from './journeys.ts';
import { LIVE_CSP, NO_CLIENT_YET, renderClient, renderLiveShell, renderPicture, type PictureHtml } from './render.ts';

export const MAX_STREAMS = 16;
const BURST_MS = 100;
const NO_CLIENT_KEY = 'no-client';

export interface LivePageOptions {
  /** The MCP server the page tells a person to point a client at. */
  mcpUrl: string;
  /** Every client's card, as the grader has it now. */
  cards: () => Card[];
  /** The `host:port` values the page answers to (its loopback names with its port). */
  hosts: () => readonly string[];
  /** How long a burst of events is gathered into one update (default 100 ms). */
  burstMs?: number;
}

export interface LivePage {
  /** One servers' event, in causal order. */
  push(event: TraceEvent): void;
  /** Something changed the cards without an event (the clock: a 403 left unanswered). */
  changed(): void;
  fetch(request: Request): Response;
  /** Ends every open stream. */
  close(): void;
  /** Tests: the journeys behind the page. */
  journeys: LiveJourneys;
}

const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function refuse(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, { status, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

interface Update {
  order: string[];
  blocks: Record<string, string>;
}

const message = (update: Update) => new TextEncoder().encode(`event: clients\ndata: ${JSON.stringify(update)}\n\n`);

export function createLivePage(options: LivePageOptions): LivePage {
  const journeys = createLiveJourneys();
  const pictures = new Map<string, { version: number; html: PictureHtml }>();
  /** What every open stream was last sent, per block. */
  let sent = new Map<string, string>();
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Every block as it is now, oldest client first. */
  function blocks(): Map<string, string> {
    const list = journeys.list();
    if (list.length === 0) return new Map([[NO_CLIENT_KEY, NO_CLIENT_YET]]);
    const cards = new Map(options.cards().map((c) => [c.client_id, c]));
    for (const key of pictures.keys()) if (!list.some((j) => j.key === key)) pictures.delete(key);
    return new Map(list.map((journey) => {
      let picture = pictures.get(journey.key);
      if (picture?.version !== journey.version) {
        picture = { version: journey.version, html: renderPicture(journey) };
        pictures.set(journey.key, picture);
      }
      return [journey.key, renderClient(journey, picture.html, cards.get(journey.client_id))];
    }));
  }

  function broadcast(): void {
    timer = undefined;
    if (streams.size === 0) return;
    const now = blocks();
    const changed = Object.fromEntries([...now].filter(([key, html]) => sent.get(key) !== html));
    const gone = [...sent.keys()].some((key) => !now.has(key));
    sent = now;
    if (Object.keys(changed).length === 0 && !gone) return;
    const bytes = message({ order: [...now.keys()], blocks: changed });
    for (const stream of streams) {
      try {
        stream.enqueue(bytes);
      } catch {
        streams.delete(stream); // closed under us: the page went away
      }
    }
  }

  const soon = () => {
    timer ??= setTimeout(broadcast, options.burstMs ?? BURST_MS);
    timer.unref?.();
  };

  function stream(): Response {
    if (streams.size >= MAX_STREAMS) return refuse(503, `at most ${MAX_STREAMS} live pages at once`, { 'Retry-After': '5' });
    let self: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        self = controller;
        // A new stream (or one reconnecting) gets every block; the others only what changes next.
        const now = blocks();
        if (streams.size === 0) sent = now;
        streams.add(controller);
        controller.enqueue(message({ order: [...now.keys()], blocks: Object.fromEntries(now) }));
      },
      cancel() {
        streams.delete(self);
      },
    });
    return new Response(body, { headers: { ...HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8' } });
  }

  function fetch(request: Request): Response {
    const hosts = options.hosts();
    const host = request.headers.get('host') ?? '';
    // DNS rebinding: a name that resolves to 127.0.0.1 still arrives with its own Host.
    if (!hosts.includes(host)) return refuse(403, `this page answers only to ${hosts.join(', ')}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'GET only', { Allow: 'GET, HEAD' });
    const path = new URL(request.url).pathname;
    if (path === '/') {
      return new Response(renderLiveShell(options.mcpUrl), {
        headers: { ...HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': LIVE_CSP, 'X-Frame-Options': 'DENY' },
      });
    }
    if (path === '/events') {
      const origin = request.headers.get('origin');
      if (origin !== null && !hosts.some((h) => origin === `http://${h}`)) return refuse(403, 'the stream is for this page only');
      return stream();
    }
    return refuse(404, 'not found: the live page is at /');
  }

  return {
    push(event) {
      journeys.push(event);
      soon();
    },
    changed: soon,
    fetch,
    close() {
      if (timer) clearTimeout(timer);
      for (const s of streams) s.close();
      streams.clear();
    },
    journeys,
  };
}
