/**
 * The list of MCP servers the lab's authorization server issues tokens for, besides its own MCP
 * server: `pnpm serve --resource URL` (repeatable, also `pnpm demo`), carried to the AS process in
 * one environment variable (`ENV.otherResources`, space-separated), read by the AS (`resources`
 * of its config), the startup banner and the server grader. Built and checked here, once.
 *
 * RFC 8707 §2: the `resource` value "MUST be an absolute URI" and "MUST NOT include a fragment
 * component"; it is the token's `aud`, which the MCP server compares with its own URL.
 */
import { ConfigError } from './config-error.ts';

/** Why `uri` is not a resource indicator (RFC 8707 §2), or undefined when it is one. */
export function resourceUriProblem(uri: string): string | undefined {
  // RFC 8707 §2: "MUST be an absolute URI, as specified by Section 4.3 of [RFC3986]".
  if (!URL.canParse(uri)) return `"${uri}" is not an absolute URI (RFC 8707 §2)`;
  // RFC 8707 §2: "MUST NOT include a fragment component".
  if (uri.includes('#')) return `"${uri}" has a fragment; a resource indicator must not (RFC 8707 §2)`;
  return undefined;
}

/** The resource URIs of the environment variable's value (space-separated); throws on a bad one. */
export function parseResourceList(value: string | undefined): string[] {
  const list = (value ?? '').split(/\s+/).filter(Boolean);
  for (const uri of list) {
    const problem = resourceUriProblem(uri);
    if (problem) throw new ConfigError(problem);
  }
  return list;
}

/** The environment variable's value for a list (the inverse of `parseResourceList`). */
export function formatResourceList(list: readonly string[]): string {
  return [...new Set(list)].join(' ');
}
