/**
 * The client metadata host as a process: serves the client's CIMD document on
 * MCP_DEMO_CLIENT_BASE (default http://localhost:3000); an https base (`--https`) is served with
 * the certificate and key named by MCP_DEMO_TLS_CERT_FILE and MCP_DEMO_TLS_KEY_FILE.
 */
import { DEFAULT_CLIENT_BASE, ENV } from '@mcp-auth-demo/common';
import { labTlsFromEnvironment } from '@mcp-auth-demo/local-ca';
import { serveApp } from '@mcp-auth-demo/server-process';
import { stdoutSink } from '@mcp-auth-demo/trace';
import { createClientHost } from './metadata-document.ts';

const baseUrl = process.env[ENV.clientBase] ?? DEFAULT_CLIENT_BASE;
const tls = labTlsFromEnvironment(process.env);
const app = createClientHost({ baseUrl, onEvent: stdoutSink });

serveApp({
  party: 'client-host',
  url: baseUrl,
  fetch: app.fetch,
  portHint: `Set ${ENV.clientBase}=http://localhost:<port> (or pnpm demo --client-port <port>).`,
  ...(tls && { tls }),
});
