/**
 * `--resource URL` (repeatable, `pnpm serve` and `pnpm demo`): someone's own MCP server, for
 * which the lab's authorization server issues tokens too. The list is checked here once
 * (RFC 8707 §2, resource-uri.ts in common), carried to the AS in one environment variable
 * (stack.ts), and told in the startup banner: what that server's Protected Resource Metadata
 * must say, and the one check it must make on every token.
 */
import { protectedResourceMetadataUrl, resourceUriProblem } from '@mcp-auth-demo/common';

/** The flag, for parseArgs (the docs' commands are checked against the options that spread it). */
export const RESOURCE_FLAG = { resource: { type: 'string', multiple: true } } as const;

/** The `--resource` values, checked: each an absolute URI without fragment, not the lab's own. */
export function resourcesFromFlag(values: readonly string[] | undefined, labResource: string): string[] {
  const list: string[] = [];
  for (const value of values ?? []) {
    const problem = resourceUriProblem(value);
    if (problem) throw new Error(`--resource ${problem}: give your MCP server's URL, e.g. http://localhost:38101/mcp`);
    if (value === labResource) throw new Error(`--resource ${value} is the lab's own MCP server; give your server's URL`);
    if (!list.includes(value)) list.push(value);
  }
  return list;
}

/** The banner's lines for each own server: its PRM (RFC 9728 §2-3) and its audience check. */
export function formatOwnServers(resources: readonly string[], issuer: string): string {
  return resources
    .map((resource) => {
      const prm = JSON.stringify({ resource, authorization_servers: [issuer] });
      return (
        `  your MCP server       ${resource} (this AS issues tokens for it too)\n` +
        `    its metadata        serve at ${protectedResourceMetadataUrl(resource)} (RFC 9728 §3.1):\n` +
        `                        ${prm}\n` +
        `    its 401             WWW-Authenticate: Bearer resource_metadata="${protectedResourceMetadataUrl(resource)}" (RFC 9728 §5.1)\n` +
        `    it must check       every token's aud equals ${resource}, exactly (RFC 8707 §2; MCP "Token Audience Binding and Validation")\n` +
        `    grade it            pnpm client ${resource} --grade\n`
      );
    })
    .join('');
}
