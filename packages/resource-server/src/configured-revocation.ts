/**
 * How revocation reaches this resource server, from its configuration (docs/revocation.md):
 *
 * - no introspection credentials: it does not (tokens are checked locally until they expire);
 * - `introspection.everyRequest` (`--introspect-every-request`): RFC 7662 on every request;
 * - otherwise (the default): pushed. This server subscribes to the AS's revocation SETs
 *   (revocation-channel.ts), receives them at `<resource>/security-events`
 *   (security-event-receiver.ts, RFC 8935), and introspects only while the channel is not live.
 *
 * The channel's timer starts only with `start()` (serve.ts): an app built in a test opens
 * nothing and renews nothing until told to.
 */
import type { DiscoveredMetadata } from './authorization-server-metadata.ts';
import type { AuthorizationServerKeys } from './authorization-server-keys.ts';
import type { ResolvedConfig } from './config.ts';
import type { Emit } from '@mcp-auth-demo/trace';
import { createRevocationChannel, type RevocationChannel } from './revocation-channel.ts';
import { createRevocationCheck, type RevocationCheck } from './revocation-check.ts';
import { RevokedTokenIds } from './revoked-token-ids.ts';
import { createSecurityEventReceiver, verifyRevocationSet, type SetVerification } from './security-event-receiver.ts';
import { basicCredentials, type TokenIntrospection } from './introspection-client.ts';

/** Where the SET receiver answers, below the resource (its path is the MCP endpoint's). */
export const SECURITY_EVENTS_SUFFIX = '/security-events';

export interface ConfiguredRevocation {
  check: RevocationCheck | undefined;
  channel: RevocationChannel | undefined;
  /** The receiver's path and handler, when revocations are pushed. */
  receiver: { path: string; handler: ReturnType<typeof createSecurityEventReceiver> } | undefined;
}

/** `revocation_events_endpoint` of the AS metadata, read from the server's one discovery (`discoverOnce`). */
function revocationEventsEndpoint(config: ResolvedConfig, metadata: () => Promise<DiscoveredMetadata>): () => Promise<string> {
  return () =>
    metadata().then((found) => {
      if (found.revocation_events_endpoint) return found.revocation_events_endpoint;
      throw new Error(`the metadata of ${config.authorizationServer} names no revocation_events_endpoint`);
    });
}

export function createConfiguredRevocation(
  config: ResolvedConfig,
  keys: AuthorizationServerKeys,
  emit: Emit,
  introspection: TokenIntrospection | undefined,
  metadata: () => Promise<DiscoveredMetadata>,
): ConfiguredRevocation {
  const settings = config.introspection;
  if (!settings || !introspection) return { check: undefined, channel: undefined, receiver: undefined };
  const revoked = new RevokedTokenIds(config.now);
  if (settings.everyRequest) {
    return { check: createRevocationCheck({ profile: config.tokenProfile, introspection, channel: undefined, revoked }), channel: undefined, receiver: undefined };
  }
  const verification: SetVerification = { issuer: config.authorizationServer, resource: config.resource, getKey: keys.getKey, now: config.now };
  const channel = createRevocationChannel({
    endpoint: revocationEventsEndpoint(config, metadata),
    authorization: basicCredentials(settings.clientId, settings.clientSecret),
    deliveryUrl: `${config.resource}${SECURITY_EVENTS_SUFFIX}`,
    renewMs: settings.renewMs,
    revoked,
    keys,
    verify: (set) => verifyRevocationSet(set, verification),
    fetch: config.fetch,
    now: config.now,
    emit,
  });
  return {
    check: createRevocationCheck({ profile: config.tokenProfile, introspection, channel, revoked }),
    channel,
    receiver: {
      path: `${config.mcpPath}${SECURITY_EVENTS_SUFFIX}`,
      handler: createSecurityEventReceiver(verification, (event) => channel.accept(event, 'push')),
    },
  };
}
