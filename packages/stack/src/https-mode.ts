/**
 * `--https` for the commands (`pnpm demo`, `pnpm serve`): every server of the stack listens
 * with TLS on loopback, with the leaf of the lab's local CA (@mcp-auth-demo/local-ca), and every
 * URL the stack has is https, so the lab's one transport deviation (plain http on loopback) is
 * gone. The orchestrator makes or reuses the CA before it starts the servers, gives each server
 * its files (`labTlsEnvironment`), and trusts the CA itself, explicitly, in the fetch its client
 * uses (`createLabTrustingFetch`), never by turning certificate checks off.
 *
 * The default stays plain http on loopback: nothing to make or trust, and every exchange of the
 * trace can be read on the wire (README, "HTTPS").
 */
import { createLabTrustingFetch, labTlsEnvironment, loadOrCreateLocalCa, type LocalCa } from '@mcp-auth-demo/local-ca';

/** The `--https` flag, for `parseArgs`. */
export const HTTPS_FLAG = { https: { type: 'boolean', default: false } } as const;

export interface HttpsMode {
  /** The lab CA and its leaf; undefined without `--https`. */
  ca: LocalCa | undefined;
  /** What the servers' environment gains (the TLS files), empty without `--https`. */
  serverEnvironment: Record<string, string>;
  /** The fetch the orchestrator's own client uses: the lab CA trusted for loopback hosts. */
  fetch: typeof fetch;
}

/** Makes or reuses the lab CA when `--https` is on. */
export async function httpsMode(enabled: boolean): Promise<HttpsMode> {
  if (!enabled) return { ca: undefined, serverEnvironment: {}, fetch: globalThis.fetch };
  const ca = await loadOrCreateLocalCa();
  return { ca, serverEnvironment: labTlsEnvironment(ca), fetch: createLabTrustingFetch(ca.caPem) };
}

/**
 * The two lines a person needs to reach the lab over https from elsewhere: the CA file for
 * Node programs (NODE_EXTRA_CA_CERTS adds it to Node's trust store, for that process only), and
 * a browser that trusts the lab's leaf for one session: Chromium's
 * `--ignore-certificate-errors-spki-list` takes the base64 SHA-256 of its public key, and a
 * throwaway profile (`--user-data-dir`) keeps it out of the person's own browser.
 */
export function formatHttpsLines(ca: LocalCa): string {
  const made = ca.made === 'ca' ? ' (made now, kept for later runs)' : ca.made === 'leaf' ? ' (new server certificate)' : '';
  return (
    `  https                 a local CA in ${ca.files.dir}${made}, in no trust store; to trust it:\n` +
    `    Node clients        NODE_EXTRA_CA_CERTS=${ca.files.caCert}\n` +
    `    a browser, once     chromium --user-data-dir="$(mktemp -d)" --ignore-certificate-errors-spki-list=${ca.leafSpkiSha256}\n`
  );
}
