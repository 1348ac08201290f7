/**
 * The adapter between the MCP conformance suite and `pnpm client`.
 *
 * The suite runs this command with the MCP server URL as the last argument, and for the
 * pre-registration scenario puts the client's credentials in MCP_CONFORMANCE_CONTEXT (JSON), and
 * the revision under test in MCP_CONFORMANCE_PROTOCOL_VERSION.
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

/**
 * With `--spec-version`, the suite names the revision to speak in MCP_CONFORMANCE_PROTOCOL_VERSION:
 * 2026-07-28 selects the stateless era (`--spec 2026-07-28`); anything else the default.
 */
function specFlags(version: string | undefined): string[] {
  return version === '2026-07-28' ? ['--spec', '2026-07-28'] : [];
}

const argv = [
  // The suite grades the client's own flow, and its mock AS is a test double that redirects to
  // any redirect_uri: the client's attacks (its contrasts) would test the double, not the client.
  '--no-contrasts',
  ...specFlags(process.env.MCP_CONFORMANCE_PROTOCOL_VERSION),
  '--client-metadata-url',
  CONFORMANCE_CLIENT_METADATA_URL,
  ...credentialFlags(process.env.MCP_CONFORMANCE_CONTEXT),
  ...process.argv.slice(2),
];
process.exit(await runClientCli(argv));
