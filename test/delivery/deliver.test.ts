import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import { deliver } from '../../src/delivery/deliver.ts';
import { OutputBase, type Publication } from '../../src/outputs/output.ts';
import { property } from '../../src/outputs/property.ts';
import { createOutput, descriptorProperty, output, unregister } from '../../src/outputs/registry.ts';
import { delivered, type DispatchResult } from '../../src/outputs/result.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { waitUntil } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';

const context = testContext();

/** A service whose dispatch throws, with its secret in the error: a buggy output. */
@output
class ThrowingOutput extends OutputBase {
  static override readonly service = 'test-throwing';
  static override readonly properties = { descriptor: descriptorProperty('Throwing', 'x'), token: property('a token', { secret: true }) };
  async dispatch(_alert: Alert, _publication: Publication): Promise<DispatchResult> {
    throw new TypeError(`cannot read token ${this.setting('token')}`);
  }
}

/** Records the publication it was given. */
@output
class RecordingOutput extends OutputBase {
  static override readonly service = 'test-recording';
  static override readonly properties = { descriptor: descriptorProperty('Recording', 'x') };
  static seen: Publication[] = [];
  async dispatch(_alert: Alert, publication: Publication): Promise<DispatchResult> {
    RecordingOutput.seen.push(publication);
    return delivered('recorded');
  }
}

afterAll(() => {
  unregister(ThrowingOutput.service);
  unregister(RecordingOutput.service);
});

describe('deliver', () => {
  it('tries every output once, concurrently: a hanging output does not hold back the others', async () => {
    const fast = await LoopbackReceiver.start();
    const slow = await LoopbackReceiver.start();
    slow.script('hang');
    try {
      const alert = sampleAlert();
      const outputs = [
        createOutput('slack', { descriptor: 'slow', values: { url: new Secret(`${slow.url}/hook`) } }, context),
        createOutput('slack', { descriptor: 'fast', values: { url: new Secret(`${fast.url}/hook`) } }, context),
      ];
      const fastDone = deliver(alert, outputs.slice(1));
      let bothSettled = false;
      const bothDone = deliver(alert, outputs).finally(() => (bothSettled = true));
      // The hang lasts until the test ends it (the context is patient), so what finishes while
      // it lasts finished first, however slowly a loaded machine runs it: no clock needed.
      await fastDone;
      await waitUntil(() => fast.requests.length === 2 && slow.requests.length === 1);
      expect(bothSettled).toBe(false);
      await slow.close(); // ends the hang: its connection drops
      const both = await bothDone;
      expect(both.map((r) => [r.output, r.result.kind])).toEqual([
        ['slack:slow', 'retry'],
        ['slack:fast', 'delivered'],
      ]);
      expect(fast.requests).toHaveLength(2);
    } finally {
      await fast.close();
      await slow.close();
    }
  });

  it('reports an output that throws as a retryable internal failure, secret scrubbed', async () => {
    const thrower = createOutput('test-throwing', { descriptor: 'x', values: { token: new Secret('tok-123456789') } }, context);
    const [report] = await deliver(sampleAlert(), [thrower]);
    expect(report).toMatchObject({ output: 'test-throwing:x', result: { kind: 'retry', reason: 'internal' } });
    expect(report!.result.kind !== 'delivered' && report!.result.message).toContain('TypeError: cannot read token [secret]');
    expectNoSecrets(['tok-123456789'], report);
  });

  it("sends StreamAlert's alert document by default", async () => {
    const recorder = createOutput('test-recording', { descriptor: 'x', values: {} }, context);
    const alert = sampleAlert();
    await deliver(alert, [recorder]);
    expect(Object.keys(RecordingOutput.seen.at(-1)!).sort()).toEqual(
      ['id', 'rule_name', 'rule_description', 'log_source', 'log_type', 'record', 'outputs', 'created', 'context', 'cluster', 'source_entity', 'source_service', 'staged', 'publishers'].sort(),
    );
    expect(RecordingOutput.seen.at(-1)).toMatchObject({ id: alert.id, rule_name: 'cloudtrail_root_account_usage', created: alert.created.toISOString().replace('Z', '000Z') });
  });
});
