/** panva's oidc-provider as the demo's authorization server (`pnpm demo --as oidc-provider`). */
export { createOidcProviderAs, type OidcProviderAsConfig } from './oidc-provider-as.ts';
export { redirectFollowingUserAgent, MAX_REDIRECTS } from './redirect-following-user-agent.ts';
