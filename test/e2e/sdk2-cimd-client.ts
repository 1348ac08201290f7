/**
 * The official SDK v2 client (`@modelcontextprotocol/client` 2.4.0) on its own CIMD path: its
 * provider names a `clientMetadataUrl` (the lab client host's https document) and holds no client
 * information, so the SDK itself uses that URL as its client_id once the AS metadata says
 * `client_id_metadata_document_supported` (no registration, no pre-registered client). It
 * connects, calls whoami, then get_weather: 403 insufficient_scope, step-up, retry.
 *
 * Run as its own process, the way a person runs their SDK program against `pnpm serve --https`:
 * it trusts the lab CA through NODE_EXTRA_CA_CERTS (the line `pnpm serve --https` prints), and
 * nothing else. Prints one JSON line: the client_id the SDK used, the scopes of each token, the
 * forecast, or the error it gave up with.
 *
 *   node --import tsx test/e2e/sdk2-cimd-client.ts <mcp-url> <client-metadata-url> <redirect-uri>
 */
import { Client, StreamableHTTPClientTransport, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/client';
import { HeadlessSdkProvider } from './sdk-headless-provider.ts';

const [resource, clientMetadataUrl, redirectUri] = process.argv.slice(2) as [string, string, string];
const provider = new HeadlessSdkProvider({ clientName: 'SDK v2 on its own CIMD path', clientMetadataUrl, redirectUri });
const open = () => {
  // The provider is written against v1's types; v2's interface is the same in every member it implements.
  const transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider as unknown as OAuthClientProvider });
  return { transport, client: new Client({ name: 'sdk2-cimd', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } }) };
};
let connection = open();
/** The SDK sent the "browser" to authorize (UnauthorizedError): redeem the code, then try again. */
const authorized = async <T>(step: () => Promise<T>, reconnect: boolean): Promise<T> => {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    await connection.transport.finishAuth(provider.callback!);
    if (reconnect) connection = open();
    return step();
  }
};
try {
  await authorized(() => connection.client.connect(connection.transport), true);
  await connection.client.callTool({ name: 'whoami', arguments: {} });
  const weather = await authorized(() => connection.client.callTool({ name: 'get_weather', arguments: { city: 'Oslo' } }), false);
  process.stdout.write(`${JSON.stringify({ client_id: provider.clientInformation()?.client_id, scopes: provider.tokenHistory.map((t) => t.scope), weather })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ client_id: provider.clientInformation()?.client_id, error: error instanceof Error ? error.message : String(error) })}\n`);
} finally {
  await connection.client.close().catch(() => {});
}
