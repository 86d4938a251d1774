import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { StoreError } from '../../src/store/errors.ts';

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DynamoDB failures as store errors', () => {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  afterEach(() => {
    if (endpoint === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    else process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  });

  it('names the table, its region and the fix when DynamoDB cannot be reached', async () => {
    const port = await closedPort();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${port}`;
    const store = new DynamoDbAlertStore('acme_streamalert_alerts', 'eu-west-1');

    const error = await store.backlog().catch((thrown: unknown) => thrown);
    store.close();

    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', setup: false, location: 'acme_streamalert_alerts' });
    expect((error as StoreError).message).toBe(
      `the alert store acme_streamalert_alerts (DynamoDB, eu-west-1) cannot be reached (connect ECONNREFUSED 127.0.0.1:${port}); ` +
        "check the network and the DynamoDB endpoint, then run 'streamalert alerts retry'",
    );
  });
});
