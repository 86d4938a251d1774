import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateFunctionCommand, GetFunctionCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { AwsClients } from '../../src/aws/clients.ts';
import { LAMBDA_ASYNC_PAYLOAD_MAX_BYTES, LambdaOutput } from '../../src/outputs/aws-lambda/aws-lambda.ts';
import { parseFunctionName } from '../../src/outputs/aws-lambda/function-name.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import type { OutputBase } from '../../src/outputs/output.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { motoEndpoint, noMoto, uniqueName } from '../support/moto.ts';
import { RecordingProxy, type ProxiedExchange } from '../support/recording-proxy.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';
import { ANSWER_TIMEOUT_MS, HANG_TIMEOUT_MS } from '../support/timeouts.ts';
import { storedZip } from '../support/zip.ts';

const context = testContext();
const ACCOUNT = '123456789012'; // moto's default account

describe('Lambda function names', () => {
  const arn = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:enrich`;
  it.each([
    ['enrich', { functionName: 'enrich' }],
    ['enrich:production', { functionName: 'enrich', qualifier: 'production' }],
    ['enrich:7', { functionName: 'enrich', qualifier: '7' }],
    ['enrich:$LATEST', { functionName: 'enrich', qualifier: '$LATEST' }],
    [arn, { functionName: arn, region: 'eu-west-1' }],
    [`${arn}:production`, { functionName: arn, qualifier: 'production', region: 'eu-west-1' }],
    [`arn:aws-us-gov:lambda:us-gov-west-1:${ACCOUNT}:function:enrich:3`, { functionName: `arn:aws-us-gov:lambda:us-gov-west-1:${ACCOUNT}:function:enrich`, qualifier: '3', region: 'us-gov-west-1' }],
    [`${ACCOUNT}:function:enrich`, { functionName: `${ACCOUNT}:function:enrich` }],
    [`${ACCOUNT}:function:enrich:production`, { functionName: `${ACCOUNT}:function:enrich`, qualifier: 'production' }],
  ])('reads %s', (value, expected) => {
    expect(parseFunctionName(value)).toEqual(expected);
  });

  it.each([
    ['a name with a space', 'enrich fn'],
    ['two qualifiers', 'enrich:production:extra'],
    ['another service ARN', 'arn:aws:s3:::acme-alerts'],
    ['an ARN without the function resource type', `arn:aws:lambda:us-east-1:${ACCOUNT}:enrich`],
    ['a name over 64 characters', 'f'.repeat(65)],
    ['an empty qualifier', 'enrich:'],
  ])('rejects %s', (_, value) => {
    expect(parseFunctionName(value)).toBeUndefined();
  });
});

describe('aws-lambda declaration', () => {
  it('keeps the function as its AWS resource, allowing colons for name:qualifier and ARNs', () => {
    expect(LambdaOutput.resourceProperty).toBe('function_name');
    expect(LambdaOutput.properties.descriptor.description).toBe('a short and unique descriptor for this AWS Lambda integration (ie: abbreviated function name)');
    expect(LambdaOutput.properties.function_name.description).toBe(
      "the AWS Lambda function name, with the optional qualifier (aka 'alias'), to use for this configuration (ie: output_function:qualifier)",
    );
    expect([...LambdaOutput.properties.function_name.inputRestrictions]).toEqual([' ']);
  });
});

describe.skipIf(noMoto)('aws-lambda output against moto', () => {
  // moto keeps no record of an Invoke when it runs without Docker, so a recording proxy in front
  // of it shows the request the output made and moto's real answer.
  let proxy: RecordingProxy;
  let clients: AwsClients;
  const admin = { 'us-east-1': new LambdaClient({ region: 'us-east-1' }), 'us-west-2': new LambdaClient({ region: 'us-west-2' }) };
  const name = uniqueName('enrich');
  const arnIn = (region: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;

  beforeAll(async () => {
    proxy = await RecordingProxy.start(motoEndpoint);
    clients = new AwsClients({ endpoint: proxy.url, timeoutMs: ANSWER_TIMEOUT_MS });
    const iam = new IAMClient({});
    const { Role } = await iam.send(
      new CreateRoleCommand({ RoleName: uniqueName('alert-fn'), AssumeRolePolicyDocument: JSON.stringify(lambdaTrustPolicy) }),
    );
    iam.destroy();
    const code = storedZip({ 'index.js': 'exports.handler = async (event) => event;\n' });
    for (const lambda of Object.values(admin)) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: Role!.Arn!, Code: { ZipFile: code } }));
    }
    const { Version } = await admin['us-east-1'].send(new PublishVersionCommand({ FunctionName: name }));
    await admin['us-east-1'].send(new CreateAliasCommand({ FunctionName: name, Name: 'production', FunctionVersion: Version! }));
  });
  afterAll(async () => {
    clients?.destroy();
    for (const lambda of Object.values(admin)) lambda.destroy();
    await proxy?.close();
  });
  beforeEach(() => {
    proxy.exchanges.length = 0;
  });

  const output = (functionName: string): OutputBase =>
    createOutput('aws-lambda', { descriptor: 'enrich', values: { function_name: functionName } }, { ...context, aws: clients });

  it.each([
    ['a function name', () => name, () => name, undefined],
    ['name:alias', () => `${name}:production`, () => name, 'production'],
    ['name:version', () => `${name}:1`, () => name, '1'],
    ['a full ARN', () => arnIn('us-east-1'), () => arnIn('us-east-1'), undefined],
    ['a full ARN with an alias', () => `${arnIn('us-east-1')}:production`, () => arnIn('us-east-1'), 'production'],
    ['a partial ARN', () => `${ACCOUNT}:function:${name}:production`, () => `${ACCOUNT}:function:${name}`, 'production'],
  ])('invokes %s asynchronously with the alert document as payload', async (_, configured, functionName, qualifier) => {
    const alert = sampleAlert();
    const result = await output(configured()).dispatch(alert, toAlertDocument(alert));

    expect(proxy.exchanges).toHaveLength(1);
    const exchange = proxy.exchanges[0]!;
    const sent = invokeTarget(exchange);
    expect(sent).toEqual({ functionName: functionName(), qualifier });
    expect(exchange.headers['x-amz-invocation-type']).toBe('Event');
    expect(JSON.parse(exchange.body.toString('utf8'))).toEqual(toAlertDocument(alert));
    expect(exchange.status).toBe(202);
    expect(result).toEqual({ kind: 'delivered', reference: exchange.responseHeaders['x-amzn-requestid'] });
    // moto resolves the very target the output addressed to the function (and alias) created above.
    // (moto's GetFunction does not route partial ARNs, so one is looked up as the full ARN it stands for.)
    const lookup = sent.functionName.startsWith(`${ACCOUNT}:`) ? `arn:aws:lambda:us-east-1:${sent.functionName}` : sent.functionName;
    const { Configuration } = await admin['us-east-1'].send(new GetFunctionCommand({ FunctionName: lookup, Qualifier: sent.qualifier }));
    expect(Configuration!.FunctionName).toBe(name);
    if (qualifier) expect(Configuration!.Version).toBe('1');
  });

  it("invokes a function of another region through its ARN, in the ARN's region", async () => {
    const alert = sampleAlert();
    expect(await output(arnIn('us-west-2')).dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'delivered' });
    const exchange = proxy.exchanges[0]!;
    expect(exchange.headers.authorization).toContain('/us-west-2/lambda/aws4_request');
    expect(invokeTarget(exchange).functionName).toBe(arnIn('us-west-2'));
  });

  it('sends a payload of exactly the limit', async () => {
    const publication = { blob: 'x'.repeat(LAMBDA_ASYNC_PAYLOAD_MAX_BYTES - '{"blob":""}'.length) };
    const result = await output(name).dispatch(sampleAlert(), publication);
    expect(result).toMatchObject({ kind: 'delivered' });
    expect(proxy.exchanges[0]!.body.byteLength).toBe(LAMBDA_ASYNC_PAYLOAD_MAX_BYTES);
  });

  it('fails too_large one byte over the limit, saying both sizes, without calling Lambda', async () => {
    const publication = { blob: 'x'.repeat(LAMBDA_ASYNC_PAYLOAD_MAX_BYTES - '{"blob":""}'.length + 1) };
    const result = await output(name).dispatch(sampleAlert(), publication);
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(result.kind === 'failed' && result.message).toContain('1,048,577 bytes');
    expect(result.kind === 'failed' && result.message).toContain('1,048,576-byte');
    expect(result.kind === 'failed' && result.message).toContain(`Lambda function ${name}`);
    expect(proxy.exchanges).toHaveLength(0);
  });

  it('counts bytes, not characters', async () => {
    // 600,000 characters, 1,200,000 bytes of UTF-8: under the limit by characters, over it by bytes.
    const result = await output(name).dispatch(sampleAlert(), { note: 'é'.repeat(600_000) });
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(proxy.exchanges).toHaveLength(0);
  });
});

// moto's Lambda without Docker answers any Invoke with 202, even for a function it does not have,
// so the answers of real Lambda (a missing function, throttling, 5xx, hangs) are played by a real
// HTTP server standing in for it, in Lambda's documented wire format; the SDK parses them as
// it would Lambda's own. https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html#API_Invoke_Errors
describe('aws-lambda output against a scripted Lambda endpoint', () => {
  let fakeLambda: LoopbackReceiver;
  let clients: AwsClients;
  /** Only for the requests that hang. */
  let hangingClients: AwsClients;
  beforeAll(async () => {
    fakeLambda = await LoopbackReceiver.start();
    clients = new AwsClients({ endpoint: fakeLambda.url, timeoutMs: ANSWER_TIMEOUT_MS });
    hangingClients = new AwsClients({ endpoint: fakeLambda.url, timeoutMs: HANG_TIMEOUT_MS });
  });
  afterAll(async () => {
    clients.destroy();
    hangingClients.destroy();
    await fakeLambda.close();
  });
  beforeEach(() => {
    fakeLambda.requests.length = 0;
  });

  const output = (functionName = 'enrich-fn:production', aws = clients): OutputBase =>
    createOutput('aws-lambda', { descriptor: 'enrich', values: { function_name: functionName } }, { ...context, aws });

  it('posts an Event invocation with the qualifier as a query parameter and returns the request id', async () => {
    fakeLambda.script({ status: 202, headers: { 'x-amzn-requestid': '5f6a7b8c-0000-4a1b-9c2d-abcdef012345' } });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toEqual({ kind: 'delivered', reference: '5f6a7b8c-0000-4a1b-9c2d-abcdef012345' });
    const [request] = fakeLambda.requests;
    const url = new URL(request!.path, fakeLambda.url);
    expect(request!.method).toBe('POST');
    expect(url.pathname).toBe('/2015-03-31/functions/enrich-fn/invocations');
    expect(url.searchParams.get('Qualifier')).toBe('production');
    expect(request!.headers['x-amz-invocation-type']).toBe('Event');
    expect(request!.json).toEqual(toAlertDocument(alert));
  });

  it('fails not_found, naming the function, when Lambda has no such function', async () => {
    fakeLambda.script(lambdaError(404, 'ResourceNotFoundException', `Function not found: arn:aws:lambda:us-east-1:${ACCOUNT}:function:enrich-fn:production`));
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'failed', reason: 'not_found' });
    expect(result.kind === 'failed' && result.message).toContain('Lambda function enrich-fn:production does not exist');
  });

  it('retries throttling after the Retry-After Lambda sends', async () => {
    fakeLambda.script(lambdaError(429, 'TooManyRequestsException', 'Rate Exceeded.', { 'retry-after': '7' }));
    const alert = sampleAlert();
    expect(await output().dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 7000 });
  });

  it.each([
    [403, 'AccessDeniedException', 'failed', 'auth'],
    [413, 'RequestTooLargeException', 'failed', 'too_large'],
    [400, 'InvalidRequestContentException', 'failed', 'client_error'],
    [500, 'ServiceException', 'retry', 'server_error'],
  ])('classifies HTTP %i %s as %s (%s), naming the function', async (status, type, kind, reason) => {
    fakeLambda.script(lambdaError(status, type, `${type} from the scripted endpoint`));
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind, reason });
    expect(result.kind !== 'delivered' && result.message).toContain('Lambda function enrich-fn:production');
    expect(result.kind !== 'delivered' && result.message).toContain(type);
  });

  it('retries a hang as a timeout and a reset as a connection failure', async () => {
    const alert = sampleAlert();
    fakeLambda.script('hang');
    const hung = await output('enrich-fn:production', hangingClients).dispatch(alert, toAlertDocument(alert));
    expect(hung).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(hung.kind === 'retry' && hung.message).toContain('Lambda function enrich-fn:production');
    fakeLambda.script('reset');
    expect(await output().dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'retry', reason: 'connection' });
  });

  it('fails config, without calling Lambda, when the function is none of the forms Lambda accepts', async () => {
    const alert = sampleAlert();
    const result = await output('arn:aws:s3:::acme-alerts').dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(result.kind === 'failed' && result.message).toContain('Lambda function arn:aws:s3:::acme-alerts');
    expect(fakeLambda.requests).toHaveLength(0);
  });
});

const lambdaTrustPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** The FunctionName and Qualifier an Invoke request carried on the wire. */
function invokeTarget(exchange: ProxiedExchange): { functionName: string; qualifier: string | undefined } {
  const url = new URL(exchange.path, 'http://moto');
  const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
  expect(match, `an Invoke path, got ${url.pathname}`).not.toBeNull();
  return { functionName: decodeURIComponent(match![1]!), qualifier: url.searchParams.get('Qualifier') ?? undefined };
}

/** A Lambda error as the service sends it (REST-JSON: the type in x-amzn-ErrorType, a JSON body). */
function lambdaError(status: number, type: string, message: string, headers: Record<string, string> = {}) {
  return { status, headers: { 'x-amzn-errortype': type, 'x-amzn-requestid': 'req-1', ...headers }, body: { Type: 'User', Message: message } };
}
