import { expect } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ROLE_SESSION_NAME } from '../../../src/aws/assumed-role.ts';
import { awsContract } from '../../support/contract.ts';
import { motoEndpoint, uniqueName } from '../../support/moto.ts';
import { withClient } from '../../support/moto-clients.ts';
import { RecordingProxy, type ProxiedExchange } from '../../support/recording-proxy.ts';

/** The account the function lives in, reached through the role: not moto's default 123456789012. */
export const TARGET_ACCOUNT = '210987654321';

interface Received {
  exchanges: readonly ProxiedExchange[];
  /** Whose credentials signed the last Invoke, as moto's STS knows them (GetCallerIdentity). */
  signer: string | undefined;
  roleArn: string;
  roleName: string;
}

/** The access key id a request was signed with (SigV4's Credential=<key>/<date>/<region>/<service>/aws4_request). */
export function accessKeyOf(exchange: ProxiedExchange | undefined): string | undefined {
  return /Credential=([^/]+)\//.exec(exchange?.headers.authorization ?? '')?.[1];
}

/** The ARN of the identity an access key belongs to. moto checks no signature, so the secret is a placeholder. */
async function identityOf(accessKeyId: string): Promise<string | undefined> {
  const sts = new STSClient({ credentials: { accessKeyId, secretAccessKey: 'unchecked-by-moto' } });
  return (await withClient(sts, (client) => client.send(new GetCallerIdentityCommand({})))).Arn;
}

export default awsContract({
  service: 'aws-lambda-v2',
  docs: [
    'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
    'https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html',
  ],
  idempotency: 'none: an Invoke takes no idempotency key, so a retry after a lost answer may run the function twice with the same alert id',
  // The first call of an attempt is STS AssumeRole (query protocol): the stand-in's failures are
  // its answers. Invoke's own (REST-JSON) failures are in test/outputs/aws-lambda-v2.test.ts.
  protocol: 'query',
  async setup() {
    // moto keeps no record of an Invoke without Docker: a proxy in front of it shows the requests.
    const proxy = await RecordingProxy.start(motoEndpoint);
    const roleName = uniqueName('alert-invoker');
    const roleArn = `arn:aws:iam::${TARGET_ACCOUNT}:role/${roleName}`;
    return {
      values: { lambda_function_arn: `arn:aws:lambda:us-east-1:${TARGET_ACCOUNT}:function:${uniqueName('enrich')}`, function_qualifier: 'production', assume_role_arn: roleArn },
      endpoint: proxy.url,
      close: () => proxy.close(),
      async received(): Promise<Received[]> {
        const key = accessKeyOf(proxy.exchanges.at(-1));
        return [{ exchanges: [...proxy.exchanges], signer: key && (await identityOf(key)), roleArn, roleName }];
      },
    };
  },
  check(received, _alert, publication) {
    const [{ exchanges, signer, roleArn, roleName }] = received as [Received];
    // One AssumeRole for every delivery of the run: the credentials are kept until near their expiry.
    const assumes = exchanges.filter((exchange) => new URLSearchParams(exchange.body.toString('utf8')).get('Action') === 'AssumeRole');
    expect(assumes).toHaveLength(1);
    const form = new URLSearchParams(assumes[0]!.body.toString('utf8'));
    expect(form.get('RoleArn')).toBe(roleArn);
    expect(form.get('RoleSessionName')).toBe(ROLE_SESSION_NAME);

    const invoke = exchanges.at(-1)!;
    const url = new URL(invoke.path, 'http://moto');
    expect(invoke.method).toBe('POST');
    expect(decodeURIComponent(url.pathname)).toMatch(new RegExp(`^/2015-03-31/functions/arn:aws:lambda:us-east-1:${TARGET_ACCOUNT}:function:enrich-[^/]+/invocations$`));
    expect(url.searchParams.get('Qualifier')).toBe('production');
    expect(invoke.headers['x-amz-invocation-type']).toBe('Event');
    expect(JSON.parse(invoke.body.toString('utf8'))).toEqual(publication);
    // Signed (SigV4) with the credentials STS issued for the role, session token beside them.
    expect(signer).toBe(`arn:aws:sts::${TARGET_ACCOUNT}:assumed-role/${roleName}/${ROLE_SESSION_NAME}`);
    expect(invoke.headers['x-amz-security-token']).toBeTruthy();
    expect(invoke.status).toBe(202);
  },
});
