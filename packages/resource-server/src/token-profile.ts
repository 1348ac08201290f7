/**
 * The resource server's token profile: what an access token from its authorization server looks
 * like. Strict by default: RFC 9068 exactly. Real identity providers differ, so each difference
 * can be allowed, one named relaxation at a time (docs/external-authorization-servers.md, "Bring your own authorization server"):
 *
 * | option                | strict default (RFC 9068)              | relaxed for                              |
 * |-----------------------|----------------------------------------|------------------------------------------|
 * | `acceptedTypes`       | `at+jwt` (§4 MUST)                     | `JWT` (Keycloak, Auth0 default, Entra); `null` = no `typ` (Okta) |
 * | `scopeClaim`          | `scope`, a space-separated string (§2.2.3) | `scp`: a string (Entra) or an array (Okta) |
 * | `clientIdClaim`       | `client_id` (§2.2)                     | `azp` (Keycloak, Auth0 default, Entra v2), `cid` (Okta) |
 * | `requiredClaims`      | `iss exp aud sub client_id iat jti` (§2.2) | drop `jti` / `iat` (Auth0 default, Entra) |
 * | `audience`            | the resource URI (RFC 8707 §2, MCP)    | another exact value (Entra v2: the API's client ID) |
 * | `allowOtherAudiences` | `aud` names this server only           | `aud` may add others (Auth0 adds `/userinfo`) |
 * | `opaqueTokens`        | refused                                | checked by RFC 7662 introspection        |
 *
 * What is never optional: the signature against the AS's keys (RFC 9068 §4), the issuer, compared
 * exactly (RFC 9068 §4), an audience check naming this server (RFC 8707 §2; MCP "Token Audience
 * Binding"), `exp` (RFC 9068 §4), and a subject and client to report.
 */
import { ConfigError } from '@mcp-auth-demo/common';
import type { TokenClaims } from '@mcp-auth-demo/trace';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { JWTVerifyOptions } from 'jose';
import { InvalidAccessToken } from './invalid-access-token.ts';

/** How access tokens are shaped and checked; see the table above. */
export interface TokenProfile {
  /**
   * JWT `typ` header values accepted, compared case-insensitively with any `application/` prefix
   * removed (RFC 7515 §4.1.9). `null` accepts a token with no `typ`. Default `['at+jwt']`.
   * RELAXATION (RFC 8725 §3.11 explains the risk): `JWT` or no `typ` cannot tell an access token
   * from an ID token signed by the same key; the audience check is what still refuses ID tokens
   * (their `aud` is the client, not this server).
   */
  acceptedTypes?: (string | null)[];
  /** The claim holding the granted scopes. Default `scope` (RFC 9068 §2.2.3, RFC 8693 §4.2). */
  scopeClaim?: 'scope' | 'scp';
  /** The claim naming the client the token was issued to. Default `client_id` (RFC 9068 §2.2). */
  clientIdClaim?: 'client_id' | 'azp' | 'cid' | 'appid';
  /**
   * Claims that must be present. Default: RFC 9068 §2.2's REQUIRED list with `clientIdClaim`. It
   * must always contain `iss`, `exp`, `aud`, `sub` and the client id claim.
   */
  requiredClaims?: string[];
  /**
   * The exact `aud` value that names this server. Default: the resource URI.
   * RELAXATION: for an IdP that cannot put a URL there (Entra ID v2 tokens carry the API's client
   * ID). The check stays exact; only the value differs from the MCP server URL.
   */
  audience?: string;
  /**
   * RELAXATION: accept an `aud` array that names this server AND others (Auth0 adds its
   * `/userinfo` when `openid` was asked for). Strict default: this server only, since a token
   * valid elsewhere too could be replayed here by that other server (MCP "Token Passthrough").
   */
  allowOtherAudiences?: boolean;
  /**
   * Tokens that are not JWTs: `reject` (default), or `introspect` them with the authorization
   * server (RFC 7662, needs `introspection` credentials in the config).
   */
  opaqueTokens?: 'reject' | 'introspect';
}

export interface ResolvedTokenProfile {
  /** Normalised `typ` values (lowercase, no `application/`); `null` = no typ. */
  acceptedTypes: (string | null)[];
  scopeClaim: 'scope' | 'scp';
  clientIdClaim: 'client_id' | 'azp' | 'cid' | 'appid';
  requiredClaims: string[];
  /** This MCP server's canonical URI (config.ts, RFC 8707 §2): the identifier `aud` must name. */
  resource: string;
  /** RELAXATION (`audience` above): the exact `aud` value expected instead of `resource`; absent when strict. */
  audience: string | undefined;
  allowOtherAudiences: boolean;
  opaqueTokens: 'reject' | 'introspect';
}

/** RFC 9068 §2.2: REQUIRED claims (`client_id` stands for the profile's client id claim). */
export const RFC9068_REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];
const NEVER_OPTIONAL = ['iss', 'exp', 'aud', 'sub'];

function fail(message: string): never {
  throw new ConfigError(message);
}

/** RFC 7515 §4.1.9: "application/" may be omitted, and media types compare case-insensitively. */
export function normaliseTyp(typ: unknown): string | null | undefined {
  if (typ === undefined) return null;
  if (typeof typ !== 'string') return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/** The profile, checked, carrying this server's `resource` (config.ts) to the audience rule below. */
export function resolveTokenProfile(profile: TokenProfile | undefined, resource: string, hasIntrospection: boolean): ResolvedTokenProfile {
  const p = profile ?? {};
  const clientIdClaim = p.clientIdClaim ?? 'client_id';
  if (!['client_id', 'azp', 'cid', 'appid'].includes(clientIdClaim)) fail(`tokenProfile.clientIdClaim must be client_id, azp, cid or appid, got ${String(clientIdClaim)}`);
  const scopeClaim = p.scopeClaim ?? 'scope';
  if (scopeClaim !== 'scope' && scopeClaim !== 'scp') fail(`tokenProfile.scopeClaim must be scope or scp, got ${String(scopeClaim)}`);

  const types = p.acceptedTypes ?? ['at+jwt'];
  if (!Array.isArray(types) || types.length === 0) fail('tokenProfile.acceptedTypes must list at least one typ (null = no typ header)');
  const acceptedTypes = types.map((typ) => {
    const normalised = typ === null ? null : normaliseTyp(typ);
    if (normalised === undefined || normalised === '') fail(`tokenProfile.acceptedTypes entries must be typ strings or null, got ${String(typ)}`);
    return normalised;
  });

  const required = (p.requiredClaims ?? RFC9068_REQUIRED_CLAIMS).map((claim) => (claim === 'client_id' ? clientIdClaim : claim));
  // Never optional: who issued it, for whom, until when, about whom, and for which client.
  for (const claim of [...NEVER_OPTIONAL, clientIdClaim]) {
    if (!required.includes(claim)) fail(`tokenProfile.requiredClaims must include "${claim}": the issuer, audience, expiry, subject and client are never optional`);
  }

  if (p.audience != null && (typeof p.audience !== 'string' || p.audience === '')) fail('tokenProfile.audience must be a non-empty string');

  const opaqueTokens = p.opaqueTokens ?? 'reject';
  if (opaqueTokens !== 'reject' && opaqueTokens !== 'introspect') fail(`tokenProfile.opaqueTokens must be reject or introspect, got ${String(opaqueTokens)}`);
  if (opaqueTokens === 'introspect' && !hasIntrospection) fail('tokenProfile.opaqueTokens "introspect" needs introspection credentials (config.introspection)');

  return {
    acceptedTypes,
    scopeClaim,
    clientIdClaim,
    requiredClaims: [...new Set(required)],
    resource,
    audience: p.audience ?? undefined,
    allowOtherAudiences: p.allowOtherAudiences === true,
    opaqueTokens,
  };
}

/**
 * The audience rule: this MCP server accepts only tokens issued for it. Its one home: the JWT
 * path (verify-access-token.ts, checks 5 and 7) and introspection answers
 * (introspected-access-token.ts) both come here, and hand on the profile, never the value.
 *
 * - RFC 9068 §4: the resource server "MUST validate that the "aud" claim contains a resource
 *   indicator value corresponding to an identifier the resource server expects for itself".
 * - RFC 8707 §2: the resource indicator is the resource's URI; the AS puts it in `aud`.
 * - MCP authorization, "Token Audience Binding and Validation": servers "MUST validate that access
 *   tokens were issued specifically for them as the intended audience".
 * - MCP "Token Passthrough": a token valid for other servers too is not accepted, unless the
 *   profile's named relaxation `allowOtherAudiences` is on.
 *
 * The identifier is `profile.resource`, unless the profile names another exact value (the Entra
 * relaxation above).
 */
function expectedAudience(profile: ResolvedTokenProfile): string {
  return profile.audience ?? profile.resource;
}

/**
 * Check 5, for jose's `jwtVerify`: RFC 9068 §4, the token "MUST be rejected if "aud" does not
 * contain a resource indicator of the current resource server". jose runs it with the issuer and
 * expiry, so a token for another server is refused before its type is looked at.
 */
export function audienceOption(profile: ResolvedTokenProfile): Pick<JWTVerifyOptions, 'audience'> {
  return { audience: expectedAudience(profile) };
}

/** Checks 5 and 7 on `aud` as it came (a JWT, or an introspection answer); `what` names its source. */
export function checkAudience(aud: unknown, profile: ResolvedTokenProfile, what: string): void {
  const audiences = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud];
  const expected = expectedAudience(profile);
  // RFC 9068 §4 / RFC 8707 §2: `aud` must contain this server's identifier.
  if (!audiences.includes(expected)) {
    throw new InvalidAccessToken('wrong_audience', `${what} was not issued for this MCP server (aud must name ${expected}).`);
  }
  // MCP "Token Passthrough": this server only; the named relaxation lets others ride along.
  if (audiences.length !== 1 && !profile.allowOtherAudiences) {
    throw new InvalidAccessToken('wrong_audience', `${what} must be issued for this MCP server only (aud names other audiences too).`);
  }
}

/**
 * The scopes a token grants, from the profile's claim; `undefined` when the claim has the wrong
 * type. An absent claim grants nothing (RFC 9068 makes `scope` a SHOULD): the request then gets
 * 403 `insufficient_scope`, not 401, because the token itself is fine.
 */
export function readScopes(value: unknown, claim: 'scope' | 'scp'): string[] | undefined {
  if (value === undefined) return [];
  // RFC 9068 §2.2.3 / RFC 8693 §4.2: `scope` is "a JSON string containing a space-separated list".
  if (typeof value === 'string') return [...new Set(value.split(' ').filter(Boolean))];
  // `scp` as an array of strings (Okta); never accepted for `scope`.
  if (claim === 'scp' && Array.isArray(value) && value.every((s) => typeof s === 'string' && s !== '' && !s.includes(' '))) {
    return [...new Set(value as string[])];
  }
  return undefined;
}

/** A token that passed every check. */
export interface VerifiedAccessToken {
  claims: TokenClaims & { sub: string; client_id: string; scope: string; exp: number };
  scopes: string[];
  /** What the MCP SDK hands to tool handlers as `extra.authInfo`. */
  authInfo: AuthInfo;
}
