/**
 * How `--https` reaches each server process: the orchestrator makes (or reuses) the lab CA and
 * hands every server the paths of the leaf, its key and the CA certificate in the environment
 * (`labTlsEnvironment`); each server's `serve.ts` reads them back (`labTlsFromEnvironment`),
 * listens with the leaf. Paths, never the keys themselves: a private key stays in its 0600 file,
 * out of `ps` and crash reports.
 *
 * A server trusts the CA for its own outbound requests (the MCP server's calls to the AS, the
 * AS's revocation pushes) through `NODE_EXTRA_CA_CERTS`, which the orchestrator sets for the
 * processes it starts: Node adds that file to the process's trust store at start-up, so Node's
 * own fetch checks every certificate as usual and also accepts the lab's. It stays narrow: the
 * CA is name-constrained to loopback names (issue-certificates.ts), so it can vouch for
 * `localhost`, 127.0.0.1 and ::1 and nothing else, and no process but the lab's servers has it.
 * Certificate checks are never turned off. (The orchestrator's own client cannot be started
 * with it, since the person started that process: it uses the trusting fetch instead, and pays
 * for loading undici once; a server process would pay for it on its way to listening.)
 */
import { ENV } from '@mcp-auth-demo/common';
import { readFileSync } from 'node:fs';
import type { LocalCa } from './local-ca.ts';

/** What a server listens with and trusts. */
export interface LabTls {
  cert: string;
  key: string;
  /** The lab CA certificate, PEM. */
  ca: string;
}

/** The environment entries that give a server process the lab's TLS files. */
export function labTlsEnvironment(ca: LocalCa): Record<string, string> {
  return {
    [ENV.tlsCertFile]: ca.files.leafCert,
    [ENV.tlsKeyFile]: ca.files.leafKey,
    [ENV.tlsCaFile]: ca.files.caCert,
    NODE_EXTRA_CA_CERTS: ca.files.caCert,
  };
}

/** The lab's TLS files named by the environment, read; undefined when none is set (plain http). */
export function labTlsFromEnvironment(env: NodeJS.ProcessEnv = process.env): LabTls | undefined {
  const paths = [env[ENV.tlsCertFile], env[ENV.tlsKeyFile], env[ENV.tlsCaFile]];
  if (paths.every((path) => !path)) return undefined;
  if (!paths.every(Boolean)) throw new Error(`${ENV.tlsCertFile}, ${ENV.tlsKeyFile} and ${ENV.tlsCaFile} go together: set all three or none`);
  const [cert, key, ca] = paths.map((path) => readFileSync(path!, 'utf8'));
  return { cert: cert!, key: key!, ca: ca! };
}
