/**
 * panva's oidc-provider as the demo's authorization server (`pnpm demo --as oidc-provider`). The
 * provider itself runs in its own process (serve.ts, started by the stack); the orchestrator only
 * needs the user agent. Nothing here loads oidc-provider, so importing this costs nothing.
 */
export type { OidcProviderAsConfig } from './oidc-provider-as.ts';
export { redirectFollowingUserAgent, MAX_REDIRECTS } from './redirect-following-user-agent.ts';
