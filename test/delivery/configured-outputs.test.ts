import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverToLoaded, loadConfiguredOutputs } from '../../src/delivery/configured-outputs.ts';
import { CachedCredentials } from '../../src/secrets/cache.ts';
import { createCredentialStore, secretsDir } from '../../src/secrets/create.ts';
import type { CredentialStore } from '../../src/secrets/store.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';
import { isolatedEnv, knownSecret, makeProject, newMasterKey } from '../support/secrets.ts';

const context = testContext();
let receiver: LoopbackReceiver;
beforeAll(async () => {
  receiver = await LoopbackReceiver.start();
});
afterAll(() => receiver.close());

/** A project with Slack and PagerDuty outputs, and a local store holding some of their credentials. */
async function prepare(outputs: object = { slack: ['sec-alerts', 'no-creds'], pagerduty: ['oncall'] }) {
  const project = makeProject({}, outputs);
  const store = createCredentialStore(project, { env: isolatedEnv({ STREAMALERT_MASTER_KEY: newMasterKey() }) });
  return { project, store, credentials: new CachedCredentials(store) };
}

describe('loadConfiguredOutputs', () => {
  it('builds outputs from outputs.json, output_settings.json and the credential store, and delivers', async () => {
    const { project, store, credentials } = await prepare();
    const slackPath = `/services/${knownSecret('T')}`;
    const routingKey = knownSecret('rk');
    await store.put({ service: 'slack', descriptor: 'sec-alerts' }, { url: receiver.url + slackPath });
    await store.put({ service: 'pagerduty', descriptor: 'oncall' }, { routing_key: routingKey });
    writeFileSync(join(project.dir, 'conf', 'output_settings.json'), JSON.stringify({ pagerduty: { oncall: { url: `${receiver.url}/v2/enqueue` } } }));
    receiver.requests.length = 0;

    const loaded = await loadConfiguredOutputs(project, credentials, context, ['slack:sec-alerts', 'pagerduty:oncall']);
    expect(loaded.map((entry) => entry.kind)).toEqual(['ready', 'ready']);
    const reports = await deliverToLoaded(sampleAlert(), loaded);
    expect(reports.map((r) => [r.output, r.result.kind])).toEqual([
      ['slack:sec-alerts', 'delivered'],
      ['pagerduty:oncall', 'delivered'],
    ]);
    const paths = receiver.requests.map((r) => r.path).sort();
    expect(paths).toEqual([slackPath, '/v2/enqueue'].sort());
    expect((receiver.requests.find((r) => r.path === '/v2/enqueue')!.json as { routing_key: string }).routing_key).toBe(routingKey);
  });

  it('holds back only the output whose credentials cannot be loaded, to retry, naming it and the fix', async () => {
    const { project, store, credentials } = await prepare();
    const slackPath = `/services/${knownSecret('T')}`;
    const routingKey = knownSecret('rk');
    await store.put({ service: 'slack', descriptor: 'sec-alerts' }, { url: receiver.url + slackPath });
    await store.put({ service: 'pagerduty', descriptor: 'oncall' }, { routing_key: routingKey });
    // Damage PagerDuty's ciphertext: it must fail alone.
    writeFileSync(join(secretsDir(project.dir), 'pagerduty', 'oncall.json'), '{"format":"streamalert-secret"');

    const reports = await deliverToLoaded(
      sampleAlert(),
      await loadConfiguredOutputs(project, credentials, context, ['slack:sec-alerts', 'slack:no-creds', 'pagerduty:oncall', 'slack:nowhere', 'nonsense']),
    );
    const byName = Object.fromEntries(reports.map((r) => [r.output, r.result]));
    expect(byName['slack:sec-alerts']).toEqual({ kind: 'delivered' });
    // Credentials an operator can put right (store again, restore a key) are retried, not dead-lettered at once.
    expect(byName['slack:no-creds']).toMatchObject({ kind: 'retry', reason: 'config' });
    expect(byName['slack:no-creds']).toMatchObject({ message: expect.stringContaining('No credentials are stored for slack:no-creds') });
    expect(byName['pagerduty:oncall']).toMatchObject({ kind: 'retry', reason: 'config', message: expect.stringContaining('pagerduty:oncall') });
    expect(byName['slack:nowhere']).toMatchObject({ kind: 'failed', reason: 'config', message: expect.stringContaining('not configured') });
    expect(byName['nonsense']).toMatchObject({ kind: 'failed', reason: 'config' });
    expectNoSecrets([slackPath, routingKey], reports);
  });

  it('fails an output whose stored credentials lack a required property', async () => {
    const { project, store, credentials } = await prepare();
    await store.put({ service: 'slack', descriptor: 'sec-alerts' }, { something_else: 'x' });
    const [entry] = await loadConfiguredOutputs(project, credentials, context, ['slack:sec-alerts']);
    expect(entry).toMatchObject({ kind: 'unavailable', result: { kind: 'failed', reason: 'config', message: expect.stringContaining('url is required') } });
  });

  it.skipIf(noMoto)('does not ask the credential store for outputs without secrets (AWS resources come from outputs.json)', async () => {
    const bucket = uniqueName('alerts');
    const { project } = await prepare({ 'aws-s3': { audit: bucket } });
    await (await context.aws.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
    const untouchable: CredentialStore = {
      get: () => Promise.reject(new Error('the store was asked')),
      put: () => Promise.reject(new Error('unexpected')),
      delete: () => Promise.reject(new Error('unexpected')),
      list: () => Promise.reject(new Error('unexpected')),
      rotate: () => Promise.reject(new Error('unexpected')),
    };
    const [report] = await deliverToLoaded(sampleAlert(), await loadConfiguredOutputs(project, untouchable, context, ['aws-s3:audit']));
    expect(report!.result.kind).toBe('delivered');
    const reference = (report!.result as { reference?: string }).reference!;
    const key = reference.slice(`s3://${bucket}/`.length);
    await expect((await context.aws.s3()).send(new GetObjectCommand({ Bucket: bucket, Key: key }))).resolves.toBeTruthy();
  });
});
