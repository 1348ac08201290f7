import { describe, expect, it } from 'vitest';
import { findAuthorizationServerMetadata } from './authorization-server-metadata.ts';
import type { JsonObject } from './json-object.ts';

const ISSUER = 'https://as.example.com/tenant';

/** A fetcher over a fixed set of documents; records the URLs asked, in order. */
function documentsAt(documents: Record<string, JsonObject>) {
  const asked: string[] = [];
  const fetchAt = async (url: string) => {
    asked.push(url);
    return documents[url];
  };
  return { asked, fetchAt };
}

describe('findAuthorizationServerMetadata: the one discovery rule of the client and the RS', () => {
  it('tries the well-known URLs in MCP order and stops at the first document found', async () => {
    const { asked, fetchAt } = documentsAt({ 'https://as.example.com/.well-known/openid-configuration/tenant': { issuer: ISSUER } });
    const search = await findAuthorizationServerMetadata(ISSUER, fetchAt);
    expect(search).toEqual({ outcome: 'found', url: 'https://as.example.com/.well-known/openid-configuration/tenant', document: { issuer: ISSUER } });
    expect(asked).toEqual([
      'https://as.example.com/.well-known/oauth-authorization-server/tenant',
      'https://as.example.com/.well-known/openid-configuration/tenant',
    ]);
  });

  it.each([`${ISSUER}/`, 'https://AS.example.com/tenant', 'https://evil.example/tenant', undefined, 42])(
    'refuses a document whose issuer is %s, not identical to the one asked for (RFC 8414 §3.3)',
    async (issuer) => {
      const url = 'https://as.example.com/.well-known/oauth-authorization-server/tenant';
      const { asked, fetchAt } = documentsAt({ [url]: { issuer: issuer as never, token_endpoint: 'https://evil.example/token' } });
      expect(await findAuthorizationServerMetadata(ISSUER, fetchAt)).toEqual({ outcome: 'wrong_issuer', url, issuer });
      // The wrong document is not used, and it does not send the search on to another location.
      expect(asked).toEqual([url]);
    },
  );

  it('names every URL it tried when none had a document', async () => {
    const { fetchAt } = documentsAt({});
    expect(await findAuthorizationServerMetadata(ISSUER, fetchAt)).toEqual({
      outcome: 'none',
      tried: [
        'https://as.example.com/.well-known/oauth-authorization-server/tenant',
        'https://as.example.com/.well-known/openid-configuration/tenant',
        'https://as.example.com/tenant/.well-known/openid-configuration',
      ],
    });
  });

  it("lets the party's own failure through", async () => {
    const failure = new Error('503 from the AS');
    await expect(findAuthorizationServerMetadata(ISSUER, async () => { throw failure; })).rejects.toBe(failure);
  });
});
