/**
 * How `--https` reaches each server process: the orchestrator makes (or reuses) the lab CA and
 * hands every server the paths of the leaf, its key and the CA certificate in the environment
 * (`labTlsEnvironment`); each server's `serve.ts` reads them back (`labTlsFromEnvironment`),
 * listens with the leaf, and trusts the CA for its own outbound requests (the CIMD fetch, the
 * revocation channel) through the trusting fetch. Paths, never the keys themselves: a private key
 * stays in its 0600 file, out of `ps` and crash reports.
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
  return { [ENV.tlsCertFile]: ca.files.leafCert, [ENV.tlsKeyFile]: ca.files.leafKey, [ENV.tlsCaFile]: ca.files.caCert };
}

/** The lab's TLS files named by the environment, read; undefined when none is set (plain http). */
export function labTlsFromEnvironment(env: NodeJS.ProcessEnv = process.env): LabTls | undefined {
  const paths = [env[ENV.tlsCertFile], env[ENV.tlsKeyFile], env[ENV.tlsCaFile]];
  if (paths.every((path) => !path)) return undefined;
  if (!paths.every(Boolean)) throw new Error(`${ENV.tlsCertFile}, ${ENV.tlsKeyFile} and ${ENV.tlsCaFile} go together: set all three or none`);
  const [cert, key, ca] = paths.map((path) => readFileSync(path!, 'utf8'));
  return { cert: cert!, key: key!, ca: ca! };
}
