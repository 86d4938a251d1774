import { expect } from 'vitest';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsContract } from '../../support/contract.ts';
import { motoEndpoint, uniqueName } from '../../support/moto.ts';
import { RecordingProxy, type ProxiedExchange } from '../../support/recording-proxy.ts';
import { storedZip } from '../../support/zip.ts';

const TRUST_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

/** A function on moto, for the output to invoke by name. */
async function createFunction(name: string): Promise<void> {
  const iam = new IAMClient({});
  const lambda = new LambdaClient({});
  try {
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: uniqueName('alert-fn'), AssumeRolePolicyDocument: JSON.stringify(TRUST_POLICY) }));
    const code = storedZip({ 'index.js': 'exports.handler = async (event) => event;\n' });
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: Role!.Arn!, Code: { ZipFile: code } }));
  } finally {
    iam.destroy();
    lambda.destroy();
  }
}

export default awsContract({
  service: 'aws-lambda',
  docs: ['https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html', 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html'],
  idempotency: 'none: Invoke takes no idempotency key (and Lambda may itself run an event twice), so a retry after a lost answer may run the function twice with the same alert id',
  protocol: 'rest-json',
  async setup() {
    const name = uniqueName('enrich');
    await createFunction(name);
    // moto keeps no record of an Invoke without Docker: a proxy in front of it shows each one.
    const proxy = await RecordingProxy.start(motoEndpoint);
    return { values: { function_name: name }, endpoint: proxy.url, received: async () => [...proxy.exchanges], close: () => proxy.close() };
  },
  check(received, alert, publication) {
    const invocation = (received as ProxiedExchange[]).find((exchange) => exchange.body.includes(alert.id));
    expect(invocation, `an Invoke carrying alert ${alert.id}`).toBeDefined();
    expect(invocation!.method).toBe('POST');
    expect(new URL(invocation!.path, 'http://lambda').pathname).toMatch(/^\/2015-03-31\/functions\/enrich-[^/]+\/invocations$/);
    expect(invocation!.headers['x-amz-invocation-type']).toBe('Event');
    expect(invocation!.status).toBe(202);
    expect(JSON.parse(invocation!.body.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(publication)));
  },
});
