/**
 * A fetch that connects only to addresses the SSRF check already vetted.
 *
 * `checkHostAddresses` resolves the client_id host and refuses special-use addresses. If the
 * fetch then resolved the name again, a DNS answer that changed in between (DNS rebinding: a
 * first answer public, a second 10.0.0.1) would slip past the check. This fetch hands the vetted
 * address to the socket instead (node's `lookup` option), so the address checked is the address
 * connected to. TLS still verifies the certificate for the host name (`servername`).
 *
 * It implements only what a metadata document fetch needs: GET, no redirects followed (CIMD §4:
 * a 3xx is returned as it is), the caller's AbortSignal, the body as a web stream.
 *
 * `--https`: the client host's document is served with the lab CA's certificate. `loopbackCa`
 * trusts that CA explicitly, for a connection to a loopback address only; any other address is
 * checked against Node's default trust store alone, as without it.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isLoopbackAddress } from '@mcp-auth-demo/common';
import { Readable } from 'node:stream';
import type { VettedAddress } from './fetch-guard.ts';

/** A `lookup` that answers every name with the vetted address, and never asks DNS. */
function pinnedLookup(vetted: VettedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: vetted.address, family: vetted.family }]);
    else callback(null, vetted.address, vetted.family);
  };
}

function toHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

export interface PinnedFetchOptions {
  /** A CA certificate (PEM) trusted for connections to a loopback address (the lab CA of `--https`). */
  loopbackCa?: string;
}

export function fetchPinned(url: string, init: RequestInit, vetted: VettedAddress, options: PinnedFetchOptions = {}): Promise<Response> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'GET',
        headers,
        lookup: pinnedLookup(vetted),
        // An IP-literal host needs no lookup; a name keeps its SNI and certificate check.
        ...(isIP(target.hostname.replace(/^\[|\]$/g, '')) ? {} : { servername: target.hostname }),
        signal: init.signal ?? undefined,
        ...(options.loopbackCa && isLoopbackAddress(vetted.address) && { ca: options.loopbackCa }),
      },
      (res) => {
        const body = res.statusCode === 204 || res.statusCode === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status: res.statusCode ?? 502, headers: toHeaders(res) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
