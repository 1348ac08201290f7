/**
 * How long access tokens live: one default (`accessTokenTtlSeconds`), and a lifetime of its own
 * for a resource where one is configured (`accessTokenTtlSecondsByResource`), as real
 * authorization servers set token lifetimes per API. MCP "Token Theft": the AS SHOULD issue
 * short-lived access tokens. The demo's short-lived MCP server (`pnpm demo --scenario
 * expired-token`) gets 1-second tokens.
 */
import { ConfigError } from '@mcp-auth-demo/common';

/** The slice of the configuration this module reads. */
export interface Lifetimes {
  accessTokenTtlSeconds: number;
  accessTokenTtlSecondsByResource: Record<string, number>;
}

/** Checks the per-resource lifetimes: each key one of `resources`, each value a positive integer. */
export function resolveLifetimesByResource(lifetimes: Record<string, number>, resources: string[]): Record<string, number> {
  if (typeof lifetimes !== 'object' || lifetimes === null) throw new ConfigError('accessTokenTtlSecondsByResource must map resource URIs to seconds');
  for (const [resource, seconds] of Object.entries(lifetimes)) {
    if (!resources.includes(resource)) throw new ConfigError(`accessTokenTtlSecondsByResource: "${resource}" is not one of resources`);
    if (!Number.isInteger(seconds) || seconds <= 0) {
      throw new ConfigError(`accessTokenTtlSecondsByResource["${resource}"] must be a positive integer, got ${seconds}`);
    }
  }
  return { ...lifetimes };
}

/** How long an access token for `resource` lives, seconds: its own lifetime, else the default. */
export function accessTokenTtlFor(config: Lifetimes, resource: string): number {
  return config.accessTokenTtlSecondsByResource[resource] ?? config.accessTokenTtlSeconds;
}

/** The longest any access token lives, seconds: how long a revocation must be remembered. */
export function longestAccessTokenTtl(config: Lifetimes): number {
  return Math.max(config.accessTokenTtlSeconds, ...Object.values(config.accessTokenTtlSecondsByResource));
}
