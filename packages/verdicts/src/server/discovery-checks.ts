/**
 * The discovery family of `pnpm client URL --grade`: what a client needs before it has a token.
 *
 *   challenge-401 -> prm -> as-metadata
 *
 * - challenge-401: RFC 6750 §3 (a request without credentials: 401 and "MUST include the HTTP
 *   WWW-Authenticate response header field"), RFC 9728 §5.1 (`resource_metadata`), RFC 6750 §3.1
 *   (no error code when no token was sent: SHOULD NOT), MCP 2025-11-25 (`scope`: SHOULD).
 * - prm: RFC 9728 §3.3 (`resource` identical to the URL the client used) and MCP 2025-11-25
 *   "Authorization Server Location" (`authorization_servers` with at least one entry).
 * - as-metadata: RFC 8414 §3.3 (`issuer` identical to the one named) and MCP 2025-11-25
 *   "Authorization Code Protection" (S256 in `code_challenge_methods_supported`).
 */
import { findAuthorizationServerMetadata, isJsonObject, protectedResourceMetadataUrl, type JsonObject } from '@mcp-auth-demo/common';
import { answerLine, graded, probeMcp, probing, unreachable, type ProbeContext } from './probe.ts';
import type { ServerCheckResult } from './server-checks.ts';

/** What discovery learnt, for the token checks. */
export interface Discovered {
  resourceMetadata?: string;
  issuer?: string;
}

export async function checkChallenge401(ctx: ProbeContext, found: Discovered): Promise<ServerCheckResult> {
  probing(ctx, 'challenge-401', 'an MCP request with no token');
  let answer;
  try {
    answer = await probeMcp(ctx, { check: 'challenge-401' });
  } catch (error) {
    return unreachable(ctx, 'challenge-401', 'POST without a token', error);
  }
  const evidence = `POST without a token → ${answerLine(answer)}`;
  // RFC 6750 §3: the resource server "MUST include the HTTP WWW-Authenticate response header field".
  if (answer.status !== 401 || !answer.bearer) return graded(ctx, 'challenge-401', 'fail', answer.status !== 401 ? `${evidence} (not 401)` : `${evidence} (no Bearer challenge)`);
  if (answer.bearer.resource_metadata) found.resourceMetadata = answer.bearer.resource_metadata;
  const warnings = [
    // RFC 9728 §5.1 / MCP: the header or the well-known URI; without the header a client must guess the URL.
    !answer.bearer.resource_metadata && 'no resource_metadata (clients must fall back to the well-known URL)',
    // RFC 6750 §3.1: "the resource server SHOULD NOT include an error code or other error information".
    answer.bearer.error !== undefined && `error="${answer.bearer.error}" although no token was sent`,
    // MCP 2025-11-25: servers SHOULD include a scope parameter.
    answer.bearer.scope === undefined && 'no scope',
  ].filter((w): w is string => typeof w === 'string');
  return graded(ctx, 'challenge-401', warnings.length > 0 ? 'warn' : 'pass', warnings.length > 0 ? `${evidence}: ${warnings.join('; ')}` : evidence);
}

/** GETs a JSON document; undefined (with why) when it is not a 200 JSON object. */
async function getJson(ctx: ProbeContext, url: string): Promise<{ document?: JsonObject; why: string }> {
  const response = await ctx.fetch(url, { headers: { accept: 'application/json' } });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    return { why: `GET ${url} → ${response.status}` };
  }
  const body: unknown = await response.json().catch(() => undefined);
  return isJsonObject(body) ? { document: body, why: `GET ${url} → 200` } : { why: `GET ${url} → 200 but not a JSON object` };
}

export async function checkPrm(ctx: ProbeContext, found: Discovered): Promise<ServerCheckResult> {
  // RFC 9728 §3.1 / MCP: the challenge's URL, else the path-aware well-known URL.
  const url = found.resourceMetadata ?? protectedResourceMetadataUrl(ctx.serverUrl);
  probing(ctx, 'prm', `the Protected Resource Metadata at ${url}`);
  let read;
  try {
    read = await getJson(ctx, url);
  } catch (error) {
    return unreachable(ctx, 'prm', `GET ${url}`, error);
  }
  if (!read.document) return graded(ctx, 'prm', 'fail', read.why);
  const { resource, authorization_servers: servers } = read.document;
  // RFC 9728 §3.3: if `resource` "is not identical to" the URL, "the client MUST NOT use the metadata".
  if (resource !== ctx.serverUrl) return graded(ctx, 'prm', 'fail', `${read.why}: resource=${JSON.stringify(resource)}, not ${ctx.serverUrl}`);
  // MCP 2025-11-25: the document "MUST include the authorization_servers field containing at least one".
  if (!Array.isArray(servers) || servers.length === 0 || typeof servers[0] !== 'string') {
    return graded(ctx, 'prm', 'fail', `${read.why}: no authorization_servers`);
  }
  found.issuer = servers[0];
  return graded(ctx, 'prm', 'pass', `${read.why}: resource=${resource}, authorization_servers=${servers.join(' ')}`);
}

export async function checkAsMetadata(ctx: ProbeContext, found: Discovered): Promise<ServerCheckResult> {
  const issuer = found.issuer;
  if (!issuer) return graded(ctx, 'as-metadata', 'not-seen', 'no authorization server named (see prm)');
  probing(ctx, 'as-metadata', `the metadata of ${issuer}`);
  const tried: string[] = [];
  let search;
  try {
    // RFC 8414 §3.1, then OpenID Connect Discovery, and §3.3's exact issuer match: the rule the
    // lab's client and RS use too (common's findAuthorizationServerMetadata).
    search = await findAuthorizationServerMetadata(issuer, async (url) => {
      const read = await getJson(ctx, url);
      tried.push(read.why);
      return read.document;
    });
  } catch (error) {
    return unreachable(ctx, 'as-metadata', `the metadata of ${issuer}`, error);
  }
  const why = tried.at(-1) ?? '';
  if (search.outcome === 'none') return graded(ctx, 'as-metadata', 'fail', `no metadata document: ${tried.join('; ')}`);
  // RFC 8414 §3.3: the issuer "MUST be identical to the authorization server's issuer identifier".
  if (search.outcome === 'wrong_issuer') return graded(ctx, 'as-metadata', 'fail', `${why}: issuer=${JSON.stringify(search.issuer)}, not ${issuer}`);
  const methods = search.document.code_challenge_methods_supported;
  // MCP 2025-11-25 "Authorization Code Protection": no S256 listed, the client MUST refuse to proceed.
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    return graded(ctx, 'as-metadata', 'fail', `${why}: code_challenge_methods_supported=${JSON.stringify(methods ?? null)}, no S256`);
  }
  return graded(ctx, 'as-metadata', 'pass', `${why}: issuer=${issuer}, S256 listed`);
}
