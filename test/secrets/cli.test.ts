import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretsAwsClients } from '../../src/secrets/aws-clients.ts';
import { createCredentialStore } from '../../src/secrets/create.ts';
import { streamalert as runCli } from '../support/cli.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { isolatedEnv, makeProject } from '../support/secrets.ts';


/** Runs the real `streamalert` command in its own process, with only `env` (plus PATH and the test run's AWS settings). */
const streamalert = (args: string[], env: NodeJS.ProcessEnv) => runCli(args, { env });

const clients = new SecretsAwsClients({ region: 'us-east-1' });
afterAll(() => clients.destroy());

describe('streamalert secrets', () => {
  it('rotate re-encrypts the local secrets, prints each output and exits 0', async () => {
    const project = makeProject();
    const env = isolatedEnv();
    const store = createCredentialStore(project, { env, notice: () => {} });
    await store.put({ service: 'slack', descriptor: 'sec-alerts' }, { url: 'https://hooks.example/x' });
    await store.put({ service: 'pagerduty', descriptor: 'oncall' }, { routing_key: 'r' });

    const result = streamalert(['--project', project.dir, 'secrets', 'rotate'], env);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('re-encrypted pagerduty:oncall');
    expect(result.stdout).toContain('re-encrypted slack:sec-alerts');
    expect(result.stdout).toMatch(/2 secret\(s\) now encrypted under master key mk-[0-9a-f]{16} \(the key file /);
    expect((await store.get({ service: 'slack', descriptor: 'sec-alerts' })).url!.reveal()).toBe('https://hooks.example/x');
  });

  it('rotate with a single STREAMALERT_MASTER_KEY explains how to supply the new key, exit 2', () => {
    const project = makeProject();
    const result = streamalert(['--project', project.dir, 'secrets', 'rotate'], isolatedEnv({ STREAMALERT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('STREAMALERT_MASTER_KEY="<new key>,<current key>"');
  });

  it('setup on the local backend says there is nothing to set up', () => {
    const result = streamalert(['--project', makeProject().dir, 'secrets', 'setup'], isolatedEnv());
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('needs no setup');
  });

  it.skipIf(noMoto)('setup on aws-s3-kms creates the KMS alias and the bucket, and is idempotent', async () => {
    const prefix = uniqueName('sa');
    const project = makeProject({ account: { prefix }, secrets: { backend: 'aws-s3-kms' } });
    const awsEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('AWS_')));
    const first = streamalert(['--project', project.dir, 'secrets', 'setup'], isolatedEnv(awsEnv));
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`KMS key alias/${prefix}_streamalert_secrets: created`));
    expect(first.stdout).toContain(`S3 bucket ${prefix}.streamalert.secrets: created`);
    await expect(clients.kms().send(new DescribeKeyCommand({ KeyId: `alias/${prefix}_streamalert_secrets` }))).resolves.toBeTruthy();
    await expect((await clients.s3()).send(new HeadBucketCommand({ Bucket: `${prefix}.streamalert.secrets` }))).resolves.toBeTruthy();
    const second = streamalert(['--project', project.dir, 'secrets', 'setup'], isolatedEnv(awsEnv));
    expect(second.stdout).toContain(': exists');
    expect(second.stdout).not.toContain('created');
  });
});
