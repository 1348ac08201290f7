export { runJourney, type JourneyConfig, type JourneyResult, type ToolCall } from './journey.ts';
export { createClientHost, clientMetadataDocument, clientUrls, type ClientMetadataDocument } from './metadata-document.ts';
export { parseWwwAuthenticate, bearerChallenge } from '@mcp-auth-demo/common';
export type { TokenSet } from './authorize.ts';
export { startBrowserCallback, type BrowserCallback, type BrowserCallbackOptions } from './browser-callback.ts';
export { headlessUserAgent, type UserAgent } from './user-agent.ts';
export { runClientCli, parseClientArgs, UsageError, CLIENT_USAGE } from './cli.ts';
export { createTracedFetch, type Fetch } from './traced-fetch.ts';
export { generatePkce, generateState } from './pkce.ts';
