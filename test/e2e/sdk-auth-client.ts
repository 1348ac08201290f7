/**
 * The official SDK client (`@modelcontextprotocol/sdk`: Client, StreamableHTTPClientTransport
 * and its own `auth()`), driven headless (sdk-headless-provider.ts): where a person's browser would follow the
 * authorization URL, this follows it with fetch, checks `state`, and hands the code back
 * through `transport.finishAuth`, as the SDK's own examples do after their callback.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { HeadlessSdkProvider } from './sdk-headless-provider.ts';

/** Connects, calls whoami and get_weather (stepping up on 403) with the SDK's own auth flow. */
export async function runSdkClient(resource: string): Promise<{ client_id: string; weather: unknown }> {
  const provider = new HeadlessSdkProvider({ clientName: 'SDK auth() client' });
  let transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
  let client = new Client({ name: 'sdk-auth-client', version: '1.0.0' });

  /** Runs `step`; on UnauthorizedError the SDK has sent us to authorize: do it, finish, retry. */
  const authorized = async <T>(step: () => Promise<T>, reconnect: boolean): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      await transport.finishAuth(provider.code!);
      if (reconnect) {
        transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
        client = new Client({ name: 'sdk-auth-client', version: '1.0.0' });
      }
      return step();
    }
  };

  await authorized(() => client.connect(transport), true);
  await client.callTool({ name: 'whoami', arguments: {} });
  const weather = await authorized(() => client.callTool({ name: 'get_weather', arguments: { city: 'Oslo' } }), false);
  await client.close();
  return { client_id: String(provider.clientInformation()?.client_id), weather };
}
