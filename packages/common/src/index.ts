/**
 * The protocol kernel every party shares: OAuth errors and `WWW-Authenticate`, the well-known
 * URLs and metadata types, address classes and loopback, defaults, and small parsers. The
 * trace lives in `@mcp-auth-demo/trace`, the HTTP process plumbing in `@mcp-auth-demo/server-process`.
 */
export * from './oauth-error.ts';
export * from './defaults.ts';
export * from './loopback.ts';
export * from './well-known.ts';
export * from './address-class.ts';
export * from './www-authenticate.ts';
export * from './json-object.ts';
export * from './media-type.ts';
export { findAuthorizationServerMetadata, type AuthorizationServerMetadata, type MetadataSearch } from './authorization-server-metadata.ts';
export * from './config-error.ts';
export { isSpecChoice, SPEC_CHOICES, type ProtocolRevision, type SpecChoice } from './protocol-revision.ts';
export { s256CodeChallenge } from './pkce-s256.ts';
export * from './resource-uri.ts';
export * from './security-event.ts';
export * from './expiring-id-set.ts';
export { bearerCredentials } from './bearer-credentials.ts';
