/** The MCP resource server of mcp-auth-demo: `createResourceServer(config)` returns a Hono app. */
export { createResourceServer } from './app.ts';
export { MAX_REQUEST_BODY_BYTES } from './request-body.ts';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_RESOURCE_NAME,
  type ResourceServerConfig,
  type IntrospectionSettings,
} from './config.ts';
export {
  buildProtectedResourceMetadata,
  protectedResourceMetadataUrl,
  type ProtectedResourceMetadata,
} from './protected-resource-metadata.ts';
export { BASE_SCOPE, SCOPES_SUPPORTED, TOOL_SCOPES, requiredScopes, type ToolName } from './scopes.ts';
export { ALLOWED_ALGORITHMS, type InvalidTokenReason } from './verify-access-token.ts';
export type { TokenProfile } from './token-profile.ts';
export { REQUIRED_SCOPES_META_KEY, SERVER_INFO, type Caller } from './tools.ts';
export { forecastFor, type Forecast } from './weather.ts';
/** The MCP layer alone (both eras, the SDK server + transport), as the endpoint runs it after every check: for `pnpm bench`'s baseline. */
export { createProtocolEras, type ReadBody } from './protocol-eras.ts';
