/**
 * The adapter between the MCP conformance suite and `pnpm client`.
 *
 * The suite runs this command with the MCP server URL as the last argument, and for the
 * pre-registration scenario puts the client's credentials in MCP_CONFORMANCE_CONTEXT (JSON).
 * This maps them onto the client's flags and nothing else: every scenario gets the same
 * client with the same options (the scenario's name is never read), so what passes is the
 * client's own behaviour.
 */
import { runClientCli } from '@mcp-auth-demo/client';

/** The suite expects this client_id where the AS supports Client ID Metadata Documents. */
const CONFORMANCE_CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

function credentialFlags(context: string | undefined): string[] {
  if (!context) return [];
  const parsed = JSON.parse(context) as { client_id?: unknown; client_secret?: unknown };
  return [
    ...(typeof parsed.client_id === 'string' ? ['--client-id', parsed.client_id] : []),
    ...(typeof parsed.client_secret === 'string' ? ['--client-secret', parsed.client_secret] : []),
  ];
}

const argv = [
  '--client-metadata-url',
  CONFORMANCE_CLIENT_METADATA_URL,
  ...credentialFlags(process.env.MCP_CONFORMANCE_CONTEXT),
  ...process.argv.slice(2),
];
process.exit(await runClientCli(argv));
