/**
 * A `fetch` that reports what goes over the wire: every request and response of the client
 * becomes an `http.request` / `http.response` trace event. It shows only what teaches (the
 * method, the URL, `Authorization`, `WWW-Authenticate`, `Location`, `Cache-Control`, a one-line
 * summary of the body) and shortens every secret it shows.
 */
import { isJsonMediaType } from '@mcp-auth-demo/common';
import { shorten, type Emit } from '@mcp-auth-demo/trace';

export type Fetch = typeof fetch;

/** Query and form parameters whose values are secrets, shown shortened. */
const SECRET_PARAMS = new Set(['code', 'code_verifier', 'client_secret', 'access_token', 'refresh_token', 'state']);
/**
 * The MCP request headers the trace shows: in 2026-07-28 they carry the revision, the method
 * and the tool name of every request (MCP 2026-07-28 transports, "Request Metadata"); in
 * 2025-11-25 the revision after `initialize`, and a session id if the server set one.
 */
const MCP_REQUEST_HEADERS = { 'mcp-protocol-version': 'MCP-Protocol-Version', 'mcp-method': 'Mcp-Method', 'mcp-name': 'Mcp-Name', 'mcp-session-id': 'Mcp-Session-Id', origin: 'Origin' };
/** The response headers the trace shows, with their usual spelling. */
const RESPONSE_HEADERS = { 'www-authenticate': 'WWW-Authenticate', location: 'Location', 'cache-control': 'Cache-Control' };

/** A URL as the trace shows it: secret parameters shortened. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    for (const [key, value] of parsed.searchParams) {
      if (SECRET_PARAMS.has(key)) parsed.searchParams.set(key, shorten(value));
    }
    return readableUrl(parsed.href);
  } catch {
    return url;
  }
}

/** What the printer neutralises (trace/src/terminal-safe.ts): the client must not produce it by decoding. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Percent-decoding for readability (`scope=mcp:connect weather:read`), except what decodes into
 * a control character: `%1B` stays `%1B` rather than becoming an ESC that the terminal obeys.
 */
export function readableUrl(href: string): string {
  try {
    return decodeURIComponent(href).replace(UNPRINTABLE, (char) => encodeURIComponent(char));
  } catch {
    return href; // not valid percent-encoding: leave it encoded
  }
}

/** One line about a request body: the JSON-RPC method (and tool), or the form fields. */
function summariseRequestBody(body: unknown, contentType: string | null): string | undefined {
  if (typeof body !== 'string' || body.length === 0) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const fields = [...new URLSearchParams(body)].map(([k, v]) => `${k}=${SECRET_PARAMS.has(k) ? shorten(v) : v}`);
    return `form: ${fields.join(' ')}`;
  }
  try {
    const json = JSON.parse(body) as { method?: string; params?: { name?: string; arguments?: unknown } };
    if (typeof json.method === 'string') {
      const tool = json.method === 'tools/call' && json.params?.name ? ` ${json.params.name}` : '';
      return `JSON-RPC ${json.method}${tool}`;
    }
    return 'JSON body';
  } catch {
    return undefined;
  }
}

/** One line about an error response body: the OAuth `error` and its description. */
async function summariseResponseBody(response: Response): Promise<string | undefined> {
  if (response.status < 400 || !isJsonMediaType(response.headers.get('content-type'))) return undefined;
  try {
    const json = (await response.clone().json()) as { error?: unknown; error_description?: unknown };
    if (typeof json.error !== 'string') return undefined;
    return `error=${json.error}${typeof json.error_description === 'string' ? `: ${json.error_description}` : ''}`;
  } catch {
    return undefined;
  }
}

/**
 * One numbering for the whole process: a request and its answer pair up by `id`, and a run may
 * hold several traced fetches (each scenario's, and the journey one runs), whose ids must not meet.
 */
let nextId = 1;

export function createTracedFetch(baseFetch: Fetch, emit: Emit): Fetch {
  return async (input, init) => {
    const id = nextId++;
    // Read the request without constructing a Request, which would consume a streamed body.
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const requestHeaders = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const headers: Record<string, string> = {};
    const authorization = requestHeaders.get('authorization');
    if (authorization) {
      const [scheme = '', credentials = ''] = authorization.split(' ');
      headers.Authorization = `${scheme} ${shorten(credentials, 12)}`;
    }
    for (const [name, label] of Object.entries(MCP_REQUEST_HEADERS)) {
      const value = requestHeaders.get(name);
      if (value) headers[label] = value;
    }
    const body = summariseRequestBody(init?.body, requestHeaders.get('content-type'));
    emit('http.request', { id, method, url: displayUrl(url), headers, ...(body && { body }) });

    const response = await baseFetch(input, init);

    const shown: Record<string, string> = {};
    for (const [name, label] of Object.entries(RESPONSE_HEADERS)) {
      const value = response.headers.get(name);
      if (value) shown[label] = name === 'location' ? displayUrl(value) : value;
    }
    const summary = await summariseResponseBody(response);
    emit('http.response', { id, status: response.status, headers: shown, ...(summary && { body: summary }) });
    return response;
  };
}
