/**
 * The resource servers allowed to call the introspection endpoint (RFC 7662 §2.1: "the
 * protected resource ... MUST authenticate"), each with its credentials and the one resource
 * whose tokens it may introspect: part of the AS config (config.ts), checked at start-up.
 */
import { ConfigError } from '@mcp-auth-demo/common';

/** A protected resource allowed to call the introspection endpoint (RFC 7662 §2.1). */
export interface IntrospectionClient {
  /** Its client identifier at this AS (the user name of HTTP Basic, RFC 6749 §2.3.1). */
  client_id: string;
  /** Its secret (at least 32 characters). Shared with the resource server's configuration. */
  client_secret: string;
  /** The canonical URI of the resource it serves: the only `aud` whose tokens it may introspect. */
  resource: string;
}

function fail(message: string): never {
  throw new ConfigError(message);
}

/** Validates the list against the AS's resources; throws a `ConfigError` naming the bad entry. */
export function resolveIntrospectionClients(clients: IntrospectionClient[], resources: string[]): IntrospectionClient[] {
  for (const client of clients) {
    if (typeof client.client_id !== 'string' || client.client_id === '') fail('introspectionClients[].client_id must be a non-empty string');
    // RFC 6749 §10.10 asks for credentials an attacker cannot guess; 32 characters is our floor.
    if (typeof client.client_secret !== 'string' || client.client_secret.length < 32) {
      fail(`introspectionClients "${client.client_id}": client_secret must be at least 32 characters`);
    }
    if (!resources.includes(client.resource)) fail(`introspectionClients "${client.client_id}": resource "${client.resource}" is not one of resources`);
  }
  if (new Set(clients.map((client) => client.client_id)).size !== clients.length) {
    fail('introspectionClients must not repeat a client_id');
  }
  return clients.map((client) => ({ ...client }));
}
