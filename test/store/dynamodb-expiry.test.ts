import { DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import { buildMergedAlert } from '../../src/merge/merger.ts';
import { mergeSettingsFor } from '../../src/merge/rule-settings.ts';
import { newSilence } from '../../src/noise/new-silence.ts';
import { noiseSettingsFor, type RuleNoise } from '../../src/noise/rule-settings.ts';
import { delivered, failed, type DispatchResult } from '../../src/outputs/result.ts';
import type { AlertStore } from '../../src/store/alert-store.ts';
import { expiresAtSeconds } from '../../src/store/dynamodb-expiry.ts';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { sampleAlert } from '../support/outputs.ts';

const T0 = Date.parse('2026-11-28T08:00:00Z');
const RETENTION_DAYS = 7;
const DAY_SECONDS = 86_400;
const MINUTE = 60_000;

describe.skipIf(noMoto)('the DynamoDB store expires finished alerts (TTL on expires_at)', () => {
  const client = new DynamoDBClient({ region: 'us-east-1' });
  const documents = DynamoDBDocumentClient.from(client);
  afterAll(() => client.destroy());

  async function openStore(): Promise<{ table: string; store: DynamoDbAlertStore }> {
    const table = uniqueName('expiry');
    const store = new DynamoDbAlertStore(table, 'us-east-1', { retentionDays: RETENTION_DAYS });
    await store.ensureTable();
    return { table, store };
  }

  /** Each item of the alert: its sort key and its expires_at (undefined when absent). */
  async function expiriesOf(table: string, alertId: string): Promise<Record<string, number | undefined>> {
    const { Items = [] } = await documents.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'alert_id = :id', ExpressionAttributeValues: { ':id': alertId }, ConsistentRead: true }));
    return Object.fromEntries(Items.map((item) => [item.output as string, item.expires_at as number | undefined]));
  }

  async function attempt(store: AlertStore, alertId: string, output: string, result: DispatchResult, at: number): Promise<void> {
    const claimed = (await store.claimDue({ now: at, limit: 100, leaseMs: 0, perOutput: 100 })).find((c) => c.alert.id === alertId && c.output === output);
    if (!claimed) throw new Error(`${output} of ${alertId} is not due at ${at}`);
    expect(await store.record(claimed, { result, at, durationMs: 5 })).toBe(true);
  }

  it('creates the table with TTL on expires_at, as the deployed stack does', async () => {
    const { table, store } = await openStore();
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(TimeToLiveDescription).toMatchObject({ AttributeName: 'expires_at', TimeToLiveStatus: 'ENABLED' });
    store.close();
  });

  it('sets expires_at on every item of the alert when its last delivery is delivered, none while one is pending', async () => {
    const { table, store } = await openStore();
    const alert = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, 'a:1', delivered(), T0 + 1_000);
    expect(await expiriesOf(table, alert.id)).toEqual({ '#alert': undefined, 'a:1': undefined, 'b:1': undefined });

    await attempt(store, alert.id, 'b:1', delivered(), T0 + 2_000);
    const expiresAt = Math.floor((T0 + 2_000) / 1000) + RETENTION_DAYS * DAY_SECONDS;
    expect(expiresAtSeconds(T0 + 2_000, RETENTION_DAYS)).toBe(expiresAt);
    expect(await expiriesOf(table, alert.id)).toEqual({ '#alert': expiresAt, 'a:1': expiresAt, 'b:1': expiresAt });
    store.close();
  });

  it('keeps a dead letter (failed) until it is discarded, then expires the alert', async () => {
    const { table, store } = await openStore();
    const alert = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, 'a:1', delivered(), T0);
    await attempt(store, alert.id, 'b:1', failed('auth', 'HTTP 403'), T0);
    expect(Object.values(await expiriesOf(table, alert.id))).toEqual([undefined, undefined, undefined]);

    const before = Math.floor(Date.now() / 1000);
    expect(await store.discard({ alertId: alert.id })).toBe(1);
    const after = Math.floor(Date.now() / 1000);
    const expiries = Object.values(await expiriesOf(table, alert.id));
    expect(expiries).toHaveLength(3);
    for (const expiresAt of expiries) {
      expect(expiresAt).toBeGreaterThanOrEqual(before + RETENTION_DAYS * DAY_SECONDS);
      expect(expiresAt).toBeLessThanOrEqual(after + RETENTION_DAYS * DAY_SECONDS);
    }
    store.close();
  });

  it('removes expires_at again when a replay makes a delivery pending (a discard that raced the replay marked it)', async () => {
    const { table, store } = await openStore();
    const alert = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, 'a:1', delivered(), T0);
    await attempt(store, alert.id, 'b:1', failed('auth', 'HTTP 403'), T0);
    await store.discard({ alertId: alert.id });
    // The state a replay that read the dead letter before the discard wrote leaves: failed again, items marked.
    await documents.send(
      new UpdateCommand({ TableName: table, Key: { alert_id: alert.id, output: 'b:1' }, UpdateExpression: 'SET #status = :failed, #queue = :failed', ExpressionAttributeNames: { '#status': 'status', '#queue': 'queue' }, ExpressionAttributeValues: { ':failed': 'failed' } }),
    );
    expect(Object.values(await expiriesOf(table, alert.id)).every((at) => at !== undefined)).toBe(true);

    expect(await store.requeue({ failed: true }, T0 + 5_000)).toBe(1);
    expect(await expiriesOf(table, alert.id)).toEqual({ '#alert': undefined, 'a:1': undefined, 'b:1': undefined });
    expect(await store.pendingByOutput()).toEqual({ 'b:1': 1 });
    store.close();
  });

  it('removes expires_at when a delivery is added to a finished alert (a fallback output)', async () => {
    const { table, store } = await openStore();
    const alert = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, 'a:1', delivered(), T0);
    expect((await expiriesOf(table, alert.id))['#alert']).toBeDefined();

    expect(await store.addDeliveries(alert.id, ['fallback:1'], T0 + 1_000)).toEqual(['fallback:1']);
    expect(await expiriesOf(table, alert.id)).toEqual({ '#alert': undefined, 'a:1': undefined, 'fallback:1': undefined });
  });

  it('expires at once an alert saved with no deliveries: no outputs (a staged rule), or silenced', async () => {
    const { table, store } = await openStore();
    const staged = sampleAlert({ outputs: [], created: new Date(T0) });
    const silence = newSilence({ matchers: ['rule_name=duo_fraud'], for: '1h', comment: 'pen test', starts: new Date(T0).toISOString() }, 'alice', T0);
    await store.addSilence(silence);
    const silenced = sampleAlert({ ruleName: 'duo_fraud', created: new Date(T0 + 60_000) });
    const sent = sampleAlert({ created: new Date(T0 + 60_000) });
    const before = Math.floor(Date.now() / 1000);
    await store.save([staged, silenced, sent]);
    const after = Math.floor(Date.now() / 1000);

    for (const alert of [staged, silenced]) {
      const { '#alert': expiresAt, ...deliveries } = await expiriesOf(table, alert.id);
      expect(deliveries).toEqual({});
      expect(expiresAt).toBeGreaterThanOrEqual(before + RETENTION_DAYS * DAY_SECONDS);
      expect(expiresAt).toBeLessThanOrEqual(after + RETENTION_DAYS * DAY_SECONDS);
    }
    expect(await expiriesOf(table, sent.id)).toEqual({ '#alert': undefined, 'slack:sec-alerts': undefined });
    store.close();
  });

  it('expires silences, dedup windows, inhibitions and merge windows retentionDays after they end, so the table never keeps them for ever', async () => {
    const { table, store } = await openStore();
    const ends = (ms: number) => expiresAtSeconds(ms, RETENTION_DAYS);
    const silence = newSilence({ matchers: ['rule_name=nobody'], for: '1h', comment: 'maintenance', starts: new Date(T0).toISOString() }, 'alice', T0);
    await store.addSilence(silence);
    const expiryOfSilence = async () => (await expiriesOf(table, '#silences'))[silence.id];
    expect(await expiryOfSilence()).toBe(ends(silence.endsAt));
    // Expired early, it ends now: so does its time in the table.
    const expiredAt = T0 + 60_000;
    await store.expireSilence(silence.id, expiredAt);
    expect(await expiryOfSilence()).toBe(ends(expiredAt));

    const noise: RuleNoise = { dedup: () => '', window: { periodMs: 10 * MINUTE, threshold: 1 }, inhibits: { rules: ['duo_push_denied'], windowMs: 5 * MINUTE } };
    const deduped = sampleAlert({ ruleName: 'duo_fraud', created: new Date(T0), noise: noiseSettingsFor('duo_fraud', noise, 'alice') } as Partial<Alert>);
    const merging = sampleAlert({ ruleName: 'duo_denials', record: { user: 'bob' }, created: new Date(T0), merge: mergeSettingsFor({ mergeByKeys: ['user'], mergeWindowMins: 10 }, { user: 'bob' }) } as Partial<Alert>);
    await store.save([deduped, merging]);

    // Every item that is neither an alert's nor a delivery's: windows, the pointers to open windows, inhibitions.
    const { Items = [] } = await documents.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    const kept = Items.filter((item) => /^(dedup|merge|inhibit)#/.test(item.alert_id as string));
    const kinds = kept.map((item) => (item.alert_id as string).replace(/#[0-9a-f-]{36}$|#[0-9a-f]{64}$/, '')).sort();
    expect(kinds).toEqual(['dedup#open', 'dedup#window', 'inhibit', 'merge#open', 'merge#window']);
    for (const item of kept) {
      // An inhibition ends with its window (5 minutes), the dedup and merge windows close after 10.
      const end = (item.alert_id as string).startsWith('inhibit#') ? T0 + 5 * MINUTE : T0 + 10 * MINUTE;
      expect(item.expires_at, item.alert_id as string).toBe(ends(end));
    }

    // A held member, never sent, lives on in the merged alert: it expires once its window closes.
    expect((await expiriesOf(table, merging.id))['#alert']).toBeUndefined();
    const closedAt = T0 + 10 * MINUTE;
    const [mergedAlert] = await store.closeDueMerges(closedAt, buildMergedAlert);
    expect(mergedAlert).toBeDefined();
    expect(await expiriesOf(table, merging.id)).toEqual({ '#alert': ends(closedAt) });
    store.close();
  });
});

