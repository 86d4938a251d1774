import { describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { AssumedRole, isRoleArn, RENEW_BEFORE_EXPIRY_MS } from '../../src/aws/assumed-role.ts';
import { LambdaV2Output } from '../../src/outputs/aws-lambda-v2/aws-lambda-v2.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import type { OutputBase } from '../../src/outputs/output.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { accessKeyOf, TARGET_ACCOUNT } from './contract/aws-lambda-v2.contract.ts';
import type { ReceivedRequest } from '../support/receiver.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { motoThroughProxy, scriptedAws } from '../support/moto-clients.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';

const context = testContext();
const functionArn = `arn:aws:lambda:us-east-1:${TARGET_ACCOUNT}:function:enrich`;

const isAssumeRole = (body: string) => new URLSearchParams(body).get('Action') === 'AssumeRole';

describe('aws-lambda-v2 declaration', () => {
  it("keeps StreamAlert's properties: the ARNs with the credentials (echoed, not masked), the qualifier and role optional", () => {
    const { lambda_function_arn, function_qualifier, assume_role_arn } = LambdaV2Output.properties;
    expect(Object.keys(LambdaV2Output.properties)).toEqual(['descriptor', 'lambda_function_arn', 'function_qualifier', 'assume_role_arn']);
    expect(lambda_function_arn).toMatchObject({ credRequirement: true, maskInput: false, optional: false });
    expect(assume_role_arn).toMatchObject({ credRequirement: true, maskInput: false, optional: true });
    // A qualifier such as `1` is no secret, and scrubbing it from messages would garble them.
    expect(function_qualifier).toMatchObject({ credRequirement: false, optional: true });
  });

  it.each([
    ['arn:aws:iam::210987654321:role/alert-invoker', true],
    ['arn:aws:iam::210987654321:role/service-role/alert.invoker@prod', true],
    ['arn:aws-us-gov:iam::210987654321:role/alert-invoker', true],
    ['arn:aws:iam::210987654321:user/alice', false],
    ['arn:aws:sts::210987654321:assumed-role/alert-invoker/session', false],
    ['alert-invoker', false],
  ])('reads %s as a role ARN: %s', (value, expected) => {
    expect(isRoleArn(value)).toBe(expected);
  });
});

describe.skipIf(noMoto)('aws-lambda-v2 against moto, through a recording proxy', () => {
  // moto keeps no record of an Invoke without Docker: the proxy shows each request and moto's answer.
  const moto = motoThroughProxy();
  const output = (values: Record<string, string | Secret>): OutputBase =>
    createOutput('aws-lambda-v2', { descriptor: 'enrich', values }, { ...context, aws: moto.clients });
  const assumes = () => moto.server.exchanges.filter((exchange) => isAssumeRole(exchange.body.toString('utf8')));
  const invokes = () => moto.server.exchanges.filter((exchange) => exchange.path.startsWith('/2015-03-31/functions/'));

  it("assumes the role once for every output built on the same clients, and invokes with the role's credentials", async () => {
    const role = `arn:aws:iam::${TARGET_ACCOUNT}:role/${uniqueName('invoker')}`;
    const values = { lambda_function_arn: new Secret(functionArn), assume_role_arn: new Secret(role) };
    const alert = sampleAlert();
    // A configuration reload builds the output again: the second instance finds the role's credentials kept.
    expect(await output(values).dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'delivered' });
    expect(await output(values).dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'delivered' });

    expect(assumes()).toHaveLength(1);
    expect(invokes()).toHaveLength(2);
    const [first, second] = invokes().map(accessKeyOf);
    expect(first).toMatch(/^ASIA/); // STS's temporary keys, not the environment's `testing`
    expect(second).toBe(first);
  });

  it('invokes with the credential chain, assuming nothing, when no role is set; the qualifier may be in the ARN', async () => {
    const alert = sampleAlert();
    const result = await output({ lambda_function_arn: new Secret(`${functionArn}:7`) }).dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'delivered' });
    expect(assumes()).toHaveLength(0);
    const [invoke] = invokes();
    expect(accessKeyOf(invoke)).toBe('testing');
    expect(new URL(invoke!.path, 'http://moto').searchParams.get('Qualifier')).toBe('7');
    expect(invoke!.headers['x-amz-security-token']).toBeUndefined();
  });

  it('keeps credentials until RENEW_BEFORE_EXPIRY_MS before they expire, then assumes the role again', async () => {
    let now = Date.now();
    const role = new AssumedRole(moto.clients, `arn:aws:iam::${TARGET_ACCOUNT}:role/${uniqueName('renewed')}`, () => now);
    const first = await role.credentials();
    const expiresAt = first.expiration!.getTime();
    expect(expiresAt).toBeGreaterThan(now + RENEW_BEFORE_EXPIRY_MS);

    now = expiresAt - RENEW_BEFORE_EXPIRY_MS - 1;
    expect(await role.credentials()).toBe(first);
    expect(assumes()).toHaveLength(1);

    now = expiresAt - RENEW_BEFORE_EXPIRY_MS;
    const renewed = await role.credentials();
    expect(assumes()).toHaveLength(2);
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
  });

  it('makes one AssumeRole for concurrent callers', async () => {
    const role = new AssumedRole(moto.clients, `arn:aws:iam::${TARGET_ACCOUNT}:role/${uniqueName('concurrent')}`);
    const [a, b, c] = await Promise.all([role.credentials(), role.credentials(), role.credentials()]);
    expect(assumes()).toHaveLength(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });
});

// The answers of real STS and Lambda that moto does not give, from a server standing in for
// both in their documented wire formats: AssumeRole (query protocol, XML) and Invoke (REST-JSON).
describe('aws-lambda-v2 against a scripted STS and Lambda endpoint', () => {
  const aws = scriptedAws();
  const role = `arn:aws:iam::${TARGET_ACCOUNT}:role/alert-invoker`;

  /** A new client set each time, so that no credentials are kept from an earlier case. */
  const output = (values: Record<string, string>) => {
    const clients = aws.renewClients();
    const secrets = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, name === 'function_qualifier' ? value : new Secret(value)]));
    return createOutput('aws-lambda-v2', { descriptor: 'enrich', values: secrets }, { ...context, aws: clients });
  };
  const answering = (invokeAnswer: (request: ReceivedRequest) => ReturnType<typeof lambdaError>) =>
    aws.server.respond((request) => (isAssumeRole(request.body) ? assumeRoleAnswer() : invokeAnswer(request)));

  it('fails auth, naming the role, when STS refuses to let us assume it, and invokes nothing', async () => {
    aws.server.respond(() => stsError(403, 'AccessDenied', `User: arn:aws:iam::123456789012:user/streamalert is not authorized to perform: sts:AssumeRole on resource: ${role}`));
    const result = await output({ lambda_function_arn: functionArn, assume_role_arn: role }).dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'auth' });
    expect(result.kind === 'failed' && result.message).toContain(`access to IAM role ${role} (assumed to invoke Lambda function ${functionArn}) was denied`);
    expect(aws.server.requests).toHaveLength(1);
  });

  it("classifies Invoke's answer after assuming the role, as aws-lambda does (the same invokeAsync): a 429 retries", async () => {
    answering(() => lambdaError(429, 'TooManyRequestsException'));
    const result = await output({ lambda_function_arn: functionArn, function_qualifier: 'production', assume_role_arn: role }).dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'retry', reason: 'rate_limited' });
    expect(result.kind !== 'delivered' && result.message).toContain(`Lambda function ${functionArn} (qualifier production)`);
    expect(aws.server.requests.map((request) => (isAssumeRole(request.body) ? 'AssumeRole' : 'Invoke'))).toEqual(['AssumeRole', 'Invoke']);
  });

  it('keeps the ARNs, which are credentials, out of a stored result: they read [secret]', async () => {
    answering(() => lambdaError(404, 'ResourceNotFoundException', `Function not found: ${functionArn}:production`));
    const result = await output({ lambda_function_arn: functionArn, function_qualifier: 'production', assume_role_arn: role }).attempt(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'not_found' });
    expect(result.kind === 'failed' && result.message).toContain('Lambda function [secret] (qualifier production) does not exist');
    expect(JSON.stringify(result)).not.toContain(functionArn);
  });

  it.each([
    ['a function value that is no function', { lambda_function_arn: 'arn:aws:s3:::acme-alerts' }, 'is not a function ARN (or name)'],
    ['a role value that is no role ARN', { lambda_function_arn: functionArn, assume_role_arn: 'alert-invoker' }, 'assume_role_arn alert-invoker is not an IAM role ARN'],
    ['two different qualifiers', { lambda_function_arn: `${functionArn}:7`, function_qualifier: 'production' }, 'names two qualifiers, 7 in the ARN and production'],
  ])('fails config, calling nothing, for %s', async (_, values, message) => {
    const result = await output(values).dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(result.kind === 'failed' && result.message).toContain(message);
    expect(aws.server.requests).toHaveLength(0);
  });
});

/** STS's AssumeRole answer, as documented: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_Examples */
function assumeRoleAnswer() {
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey><SessionToken>AQoDYXdzEPT//////////wEXAMPLE</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${TARGET_ACCOUNT}:assumed-role/alert-invoker/streamalert_alert_processor</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:streamalert_alert_processor</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  };
}

/** An STS error (query protocol): https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html */
function stsError(status: number, code: string, message: string) {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
  };
}

/** A Lambda error as the service sends it (REST-JSON: the type in x-amzn-ErrorType, a JSON body). */
function lambdaError(status: number, type: string, message = `${type} from the scripted endpoint`) {
  return { status, headers: { 'x-amzn-errortype': type, 'x-amzn-requestid': 'req-1' }, body: { Type: 'User', Message: message } };
}
