import { afterAll, beforeAll, beforeEach } from 'vitest';
import { AwsClients } from '../../src/aws/clients.ts';
import { motoEndpoint } from './moto.ts';
import { LoopbackReceiver } from './receiver.ts';
import { RecordingProxy } from './recording-proxy.ts';
import { ANSWER_TIMEOUT_MS } from './timeouts.ts';

/**
 * Runs `use` with an SDK client made for it, destroyed after, so that a reader in a test or a
 * contract leaves no socket open.
 *
 * @example
 *   const messages = await withClient(new CloudWatchLogsClient({}), (logs) => logs.send(new GetLogEventsCommand(input)));
 */
export async function withClient<C extends { destroy(): void }, T>(client: C, use: (client: C) => Promise<T>): Promise<T> {
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

/** A server AWS clients are pointed at in tests, and AwsClients that talk to it. */
export interface ClientsThrough<S> {
  readonly server: S;
  readonly clients: AwsClients;
  /** Starts the client set afresh (no clients or assumed credentials kept) and returns it. */
  renewClients(): AwsClients;
}

/**
 * For a describe block: a RecordingProxy in front of moto and AwsClients that talk through it,
 * its exchanges cleared before each test. For APIs moto keeps no record of (Lambda without
 * Docker), and to count the calls an output makes.
 *
 * @example
 *   const moto = motoThroughProxy();
 *   it('...', async () => { createOutput(service, settings, { ...context, aws: moto.clients }); moto.server.exchanges; });
 */
export function motoThroughProxy(): ClientsThrough<RecordingProxy> {
  return clientsThrough(() => RecordingProxy.start(motoEndpoint), (proxy) => (proxy.exchanges.length = 0));
}

/**
 * For a describe block: a LoopbackReceiver standing in for AWS, for the answers moto does not
 * give (a 200 that says more, scripted errors), and AwsClients that talk to it; its requests
 * cleared before each test.
 *
 * @example
 *   const aws = scriptedAws();
 *   aws.server.script({ status: 500, headers, body });
 */
export function scriptedAws(): ClientsThrough<LoopbackReceiver> {
  return clientsThrough(() => LoopbackReceiver.start(), (receiver) => (receiver.requests.length = 0));
}

function clientsThrough<S extends { readonly url: string; close(): Promise<void> }>(start: () => Promise<S>, clear: (server: S) => void): ClientsThrough<S> {
  const state = {
    renewClients() {
      state.clients?.destroy();
      state.clients = new AwsClients({ endpoint: state.server.url, timeoutMs: ANSWER_TIMEOUT_MS });
      return state.clients;
    },
  } as { server: S; clients: AwsClients; renewClients(): AwsClients };
  beforeAll(async () => {
    state.server = await start();
    state.renewClients();
  });
  afterAll(async () => {
    state.clients?.destroy();
    await state.server?.close();
  });
  beforeEach(() => {
    if (state.server) clear(state.server);
  });
  return state;
}
