/**
 * The authorization server's configuration checked and completed: every field of
 * `AuthorizationServerConfig` (config.ts) validated, every default filled in. A bad value throws
 * a `ConfigError` naming the field, so it fails at startup, not on the first request.
 */
import { ConfigError, DEMO_SUBJECT, isLoopbackHost, resourceUriProblem, SCOPES } from '@mcp-auth-demo/common';
import { defaultResolveHost } from './clients/fetch-guard.ts';
import { fetchPinned } from './clients/pinned-fetch.ts';
import { checkSigningKey } from './tokens/keys.ts';
import { resolveLifetimesByResource } from './tokens/token-lifetimes.ts';
import { SCOPE_TOKEN } from './request-rules.ts';
import { resolveCimdLimits } from './clients/cimd-limits.ts';
import { resolveIntrospectionClients } from './clients/introspection-clients.ts';
import type { AuthorizationServerConfig, ResolvedConfig } from './config.ts';

function fail(message: string): never {
  throw new ConfigError(message);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) fail(`${name} must be a positive integer, got ${value}`);
  return value;
}

function booleanField(name: string, value: unknown, fallback: boolean): boolean {
  if (value !== undefined && typeof value !== 'boolean') fail(`${name} must be true or false`);
  return (value as boolean | undefined) ?? fallback;
}

/** Validates `input` and fills in defaults. Throws a `ConfigError` naming the bad field. */
export function resolveConfig(input: AuthorizationServerConfig): ResolvedConfig {
  const allowHttp = input.dangerouslyAllowLoopbackHttp;
  if (typeof allowHttp !== 'boolean') fail('dangerouslyAllowLoopbackHttp must be set to true or false');

  let issuer: URL;
  try {
    issuer = new URL(input.issuer);
  } catch {
    fail(`issuer "${input.issuer}" is not an absolute URL`);
  }
  const issuerIsLoopback = isLoopbackHost(issuer.hostname);
  // RFC 8414 §2: the issuer is "a URL that uses the "https" scheme and has no query or fragment components".
  if (input.issuer.includes('?') || input.issuer.includes('#')) fail(`issuer "${input.issuer}" must have no query or fragment (RFC 8414 §2)`);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && issuerIsLoopback && allowHttp)) {
    fail(`issuer "${input.issuer}" must use https (http only on a loopback host with dangerouslyAllowLoopbackHttp)`);
  }
  if (allowHttp && !issuerIsLoopback) {
    fail('dangerouslyAllowLoopbackHttp is a local-demo deviation: it requires an issuer on a loopback host');
  }

  if (!Array.isArray(input.resources) || input.resources.length === 0) fail('resources must list at least one resource URI');
  for (const resource of input.resources) {
    // RFC 8707 §2: the resource "MUST be an absolute URI" and "MUST NOT include a fragment component".
    const problem = resourceUriProblem(resource);
    if (problem) fail(`resource ${problem}`);
  }

  const scopesSupported = input.scopesSupported ?? [SCOPES.connect, SCOPES.weatherRead];
  if (scopesSupported.length === 0) fail('scopesSupported must not be empty');
  for (const scope of scopesSupported) {
    if (!SCOPE_TOKEN.test(scope)) fail(`scope "${scope}" is not a valid scope-token (RFC 6749 §3.3)`);
  }
  const defaultScope = input.defaultScope ?? SCOPES.connect;
  for (const scope of defaultScope.split(' ')) {
    if (!scopesSupported.includes(scope)) fail(`defaultScope "${defaultScope}" must be made of scopesSupported`);
  }

  // A key given as is is checked now (fail fast); a promised one when it arrives (its users then fail).
  const signingKey = input.signingKey instanceof Promise ? input.signingKey.then(checkSigningKey) : Promise.resolve(checkSigningKey(input.signingKey));
  signingKey.catch(() => {}); // observed by /jwks and /token, and by serve.ts, which exits on it

  const codeTtlSeconds = positiveInteger('codeTtlSeconds', input.codeTtlSeconds ?? 60);
  // RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED."
  if (codeTtlSeconds > 600) fail(`codeTtlSeconds must be at most 600 (RFC 6749 §4.1.2), got ${codeTtlSeconds}`);

  const cimd = resolveCimdLimits(input.cimd);

  const allowedOrigins = input.allowedOrigins ?? [];
  if (!Array.isArray(allowedOrigins)) fail('allowedOrigins must be an array of origins');
  for (const origin of allowedOrigins) {
    // Compared with the Origin header as a string, so each entry must be a serialised origin.
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) fail(`allowedOrigins entry "${origin}" must be a serialised origin like http://localhost:6274`);
  }
  const interactive = booleanField('interactive', input.interactive, false);
  const mintGradingTokens = booleanField('dangerouslyMintGradingTokens', input.dangerouslyMintGradingTokens, false);
  if (mintGradingTokens && !issuerIsLoopback) fail('dangerouslyMintGradingTokens is a local-lab facility: it requires an issuer on a loopback host');
  const dynamicClientRegistration = booleanField('dynamicClientRegistration', input.dynamicClientRegistration, true);

  return {
    issuer: input.issuer,
    resources: [...input.resources],
    scopesSupported: [...scopesSupported],
    defaultScope,
    signingKey,
    dangerouslyAllowLoopbackHttp: allowHttp,
    dangerouslyMintGradingTokens: mintGradingTokens,
    dangerouslyDefaultAudience: input.dangerouslyDefaultAudience,
    fetch: input.fetch ?? fetchPinned,
    resolveHost: input.resolveHost ?? defaultResolveHost,
    now: input.now ?? Date.now,
    subject: input.subject ?? DEMO_SUBJECT,
    interactive,
    interactionTtlSeconds: positiveInteger('interactionTtlSeconds', input.interactionTtlSeconds ?? 600),
    maxPendingAuthorizations: positiveInteger('maxPendingAuthorizations', input.maxPendingAuthorizations ?? 1000),
    codeTtlSeconds,
    accessTokenTtlSeconds: positiveInteger('accessTokenTtlSeconds', input.accessTokenTtlSeconds ?? 600),
    accessTokenTtlSecondsByResource: resolveLifetimesByResource(input.accessTokenTtlSecondsByResource ?? {}, input.resources),
    refreshTokenAbsoluteSeconds: positiveInteger('refreshTokenAbsoluteSeconds', input.refreshTokenAbsoluteSeconds ?? 86_400),
    refreshTokenIdleSeconds: positiveInteger('refreshTokenIdleSeconds', input.refreshTokenIdleSeconds ?? 7200),
    accommodateSdk1StepUp: booleanField('accommodateSdk1StepUp', input.accommodateSdk1StepUp, false),
    maxRefreshFamilies: positiveInteger('maxRefreshFamilies', input.maxRefreshFamilies ?? 10_000),
    maxPendingCodes: positiveInteger('maxPendingCodes', input.maxPendingCodes ?? 10_000),
    maxPendingCodesPerClient: positiveInteger('maxPendingCodesPerClient', input.maxPendingCodesPerClient ?? 1000),
    maxRedeemedCodes: positiveInteger('maxRedeemedCodes', input.maxRedeemedCodes ?? 100_000),
    cimd,
    dynamicClientRegistration,
    allowedOrigins: [...allowedOrigins],
    maxRegisteredClients: positiveInteger('maxRegisteredClients', input.maxRegisteredClients ?? 1000),
    securityEventFetch: input.securityEventFetch ?? globalThis.fetch,
    introspectionClients: resolveIntrospectionClients(input.introspectionClients ?? [], input.resources),
    registrationGraceSeconds: positiveInteger('registrationGraceSeconds', input.registrationGraceSeconds ?? 600),
    registeredClientIdleSeconds: positiveInteger('registeredClientIdleSeconds', input.registeredClientIdleSeconds ?? 86_400),
    onEvent: input.onEvent,
    issuerIsLoopback,
  };
}
