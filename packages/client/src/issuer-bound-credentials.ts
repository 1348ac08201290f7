/**
 * Client credentials bound to the authorization server they belong to (MCP 2026-07-28
 * authorization, client registration, SEP-2352; sound under 2025-11-25 too).
 *
 * A `client_id` (and any secret) is issued by, or pre-registered with, ONE authorization
 * server. Sent to another, it is at best meaningless and at worst a credential handed to a
 * party it was never meant for. So credentials are kept per issuer:
 *
 * - registered credentials (DCR) are reused only with the issuer that issued them;
 * - pre-registered credentials (`--client-id`) are bound to the issuer named with them
 *   (`--issuer`; registration.ts refuses to use them with any other), or else to the first
 *   authorization server they are used with; another AS never sees them;
 * - when the protected resource moves to another authorization server, the client registers
 *   anew there (CIMD or DCR) instead of reusing what it had.
 *
 * A CIMD `client_id` is the URL of a document, not a secret, and is portable by design: the
 * AS fetches the document itself (SEP-2352 says so); it is still re-chosen per issuer.
 */
import type { Emit } from '@mcp-auth-demo/trace';
import type { AuthorizationServerMetadata } from './discovery.ts';
import { obtainClientCredentials, type ClientCredentials, type RegistrationContext, type RegistrationOptions } from './registration.ts';

export class IssuerBoundCredentials {
  private readonly byIssuer = new Map<string, ClientCredentials>();
  private preRegisteredIssuer: string | undefined;

  constructor(
    private readonly options: RegistrationOptions,
    private readonly emit: Emit,
  ) {
    this.preRegisteredIssuer = options.issuer;
  }

  /** The credentials to use with this authorization server, registering if it is a new one. */
  async for(metadata: AuthorizationServerMetadata, ctx: RegistrationContext): Promise<ClientCredentials> {
    const known = this.byIssuer.get(metadata.issuer);
    if (known) return known;
    let options = this.options;
    if (options.clientId !== undefined) {
      this.preRegisteredIssuer ??= metadata.issuer;
      // Once used with their own AS, the credentials stay there: a NEW AS gets a new registration.
      // (Never used yet, a mismatch with --issuer is refused outright by registration.ts.)
      if (this.preRegisteredIssuer !== metadata.issuer && this.byIssuer.has(this.preRegisteredIssuer)) {
        this.emit('credentials.not_reused', {
          client_id: options.clientId,
          bound_to: this.preRegisteredIssuer,
          issuer: metadata.issuer,
          spec: 'MCP 2026-07-28 client registration (SEP-2352): credentials are bound to their issuer',
        });
        const { clientId: _id, clientSecret: _secret, issuer: _issuer, ...rest } = options;
        options = rest;
      }
    } else if (this.byIssuer.size > 0) {
      const [previous] = [...this.byIssuer.keys()].slice(-1);
      this.emit('credentials.not_reused', {
        client_id: this.byIssuer.get(previous!)!.client_id,
        bound_to: previous!,
        issuer: metadata.issuer,
        spec: 'MCP 2026-07-28 client registration (SEP-2352): re-register when the authorization server changes',
      });
    }
    const credentials = await obtainClientCredentials(metadata, options, ctx);
    this.byIssuer.set(metadata.issuer, credentials);
    return credentials;
  }
}
