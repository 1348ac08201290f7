/**
 * One of each: the shared parsers, types and request rules live once (in @mcp-auth-demo/common,
 * or, for the authorization server's own request rules, its request-rules.ts), and a new
 * production module uses them instead of growing its own copy. Each rule below is a pattern a
 * copy would have; the message says what to use instead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function productionModules(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'node_modules') found.push(...productionModules(path));
    } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
      found.push(relative(root, path));
    }
  }
  return found;
}

const modules = readdirSync(join(root, 'packages')).flatMap((pkg) => {
  const src = join(root, 'packages', pkg, 'src');
  try {
    return productionModules(src);
  } catch {
    return [];
  }
});

const RULES: [what: string, pattern: RegExp, home: string, useInstead: string][] = [
  ['a media-type parser', /content-type['"]\)[^\n]*split\(\s*['"];['"]/i, 'packages/common/src/media-type.ts', 'mediaType()'],
  ['an AuthorizationServerMetadata type', /interface\s+AuthorizationServerMetadata\b|type\s+AuthorizationServerMetadata\s*=/, 'packages/common/src/authorization-server-metadata.ts', 'the type from common'],
  ['a WWW-Authenticate parser', /function\s+parse\w*(WwwAuthenticate|Challenge)\w*\s*\(/, 'packages/common/src/www-authenticate.ts', 'parseWwwAuthenticate()'],
  ['a configuration error type', /class\s+\w*Config\w*Error\b/, 'packages/common/src/config-error.ts', 'ConfigError'],
  ['another meaning of Rejection', /(class|interface|type)\s+Rejection\b/, 'packages/common/src/oauth-error.ts', 'a name that says what is refused'],
  ['the S256 computation of PKCE', /createHash\(\s*['"]sha256['"]\s*\)\s*\.update\(\s*\w*[vV]erifier/, 'packages/common/src/pkce-s256.ts', 's256CodeChallenge()'],
  ['a form-body check', /!==\s*['"]application\/x-www-form-urlencoded['"]/, 'packages/authorization-server/src/request-rules.ts', 'readFormBody() (the AS\'s request-rules.ts)'],
  ['a scope-token check', /\^\[\\x21\\x23-\\x5B/, 'packages/authorization-server/src/request-rules.ts', 'scopeTokens() / SCOPE_TOKEN (the AS\'s request-rules.ts)'],
  ['a constant-time comparison', /timingSafeEqual\(/, 'packages/authorization-server/src/request-rules.ts', 'constantTimeEqual() (the AS\'s request-rules.ts)'],
  ['a walk over the AS metadata URLs', /for\s*\(\s*const\s+\w+\s+of\s+authorizationServerMetadataUrls\(/, 'packages/common/src/authorization-server-metadata.ts', 'findAuthorizationServerMetadata() (the order and RFC 8414 §3.3\'s issuer match)'],
  ['a "JSON object or fail" parser', /typeof\s+(\w+)\s*!==\s*'object'\s*\|\|\s*\1\s*===\s*null\s*\|\|\s*Array\.isArray\(\1\)/, 'packages/common/src/json-object.ts', 'parseJsonObject() / isJsonObject() from common'],
];

describe('one of each, in its one home', () => {
  it('reads every production module of every package (not vacuous)', () => {
    expect(modules.length).toBeGreaterThan(50);
  });

  it.each(RULES)('%s lives only in its home', (_, pattern, home, useInstead) => {
    const copies = modules.filter((file) => file !== home && pattern.test(readFileSync(join(root, file), 'utf8')));
    expect(copies, `use ${useInstead}`).toEqual([]);
    expect(modules).toContain(home);
  });
});
