/**
 * What a request asked for, as this server received it: for the trace, so that `pnpm serve`
 * can grade any client by what it actually sent (packages/verdicts). Observing changes nothing
 * about how a request is answered.
 *
 * - The first value of each parameter, cut to a readable length; at most 24 parameters.
 * - Secrets (code, code_verifier, refresh_token, client_secret) are shortened, never logged whole.
 * - The client a request named is remembered for the request's lifetime, so the one error
 *   path (app.ts) can say whose request it refused.
 */
import { shorten } from '@mcp-auth-demo/trace';

const SECRETS = new Set(['code', 'code_verifier', 'refresh_token', 'client_secret', 'client_assertion']);
const MAX_PARAMETERS = 24;
const MAX_VALUE_LENGTH = 300;

export function observedParams(params: URLSearchParams): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in seen) continue;
    if (Object.keys(seen).length >= MAX_PARAMETERS) break;
    seen[name.slice(0, 64)] = SECRETS.has(name) ? shorten(value) : value.length > MAX_VALUE_LENGTH ? `${value.slice(0, MAX_VALUE_LENGTH)}…` : value;
  }
  return seen;
}

const clientOfRequest = new WeakMap<Request, string>();

/** Remembers the client_id a request named (as sent; not yet validated). */
export function rememberClient(request: Request, clientId: string | null | undefined): void {
  if (clientId) clientOfRequest.set(request, clientId.slice(0, 2048));
}

export function clientOf(request: Request): string | undefined {
  return clientOfRequest.get(request);
}
