/** The authorization server of the MCP authorization demo: build it with `createAuthorizationServer`. */
export { createAuthorizationServer, type AuthorizationServerApp } from './app.ts';
export type { AuthorizationServerConfig, CimdLimits } from './config.ts';
export { generateSigningKey, jwksDocument, type SigningKey } from './tokens/keys.ts';
export { authorizationServerMetadata, metadataPath, ENDPOINT_PATHS, type ServedMetadata } from './endpoints/metadata.ts';
export { classifyAddress, type GuardedFetch, type ResolveHost } from './clients/fetch-guard.ts';
export { AUTO_APPROVED_CONSENT } from './endpoints/consent.ts';
export type { IntrospectionClient } from './config.ts';
