import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAlert } from '../../src/alerts/alert.ts';
import type { AlertStore } from '../../src/store/alert-store.ts';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { noMoto, uniqueName } from '../support/moto.ts';

/** The claim the stream-triggered alert processor makes: ClaimRequest.alertIds and nextDueAt(alertIds), on both stores. */
const stores: [string, boolean, () => Promise<AlertStore>][] = [
  ['SQLite', false, async () => new SqliteAlertStore(join(mkdtempSync(join(tmpdir(), 'claim-among-')), 'alerts.db'))],
  [
    'DynamoDB (moto)',
    noMoto,
    async () => {
      const store = new DynamoDbAlertStore(uniqueName('claim_among').replace(/-/g, '_'), 'us-east-1');
      await store.ensureTable();
      return store;
    },
  ],
];

describe.each(stores)('a claim scoped to some alerts, on %s', (_name, skip, open) => {
  const opened: AlertStore[] = [];
  afterAll(() => opened.forEach((store) => store.close()));

  it.skipIf(skip)("takes only those alerts' due deliveries, within each output's room, and says when theirs fall due", async () => {
    const store = await open();
    opened.push(store);
    const created = new Date(Date.now() - 1_000);
    const [ours, theirs] = [createAlert({ ruleName: 'r', record: { n: 1 }, outputs: ['slack:a', 'slack:b'], created }), createAlert({ ruleName: 'r', record: { n: 2 }, outputs: ['slack:a'], created })];
    await store.save([ours, theirs]);
    const request = { now: Date.now(), limit: 10, leaseMs: 60_000, perOutput: 10, alertIds: [ours.id] };

    expect(await store.nextDueAt([ours.id])).toBe(created.getTime());
    const onePerOutput = await store.claimDue({ ...request, inFlight: new Map([['slack:b', 10]]) });
    expect(onePerOutput.map((claim) => [claim.alert.id, claim.output])).toEqual([[ours.id, 'slack:a']]);
    const rest = await store.claimDue(request);
    expect(rest.map((claim) => [claim.alert.id, claim.output])).toEqual([[ours.id, 'slack:b']]);

    // Both of ours are leased now: due again when the lease ends; the other alert is untouched.
    expect(await store.claimDue(request)).toEqual([]);
    expect(await store.nextDueAt([ours.id])).toBe(request.now + request.leaseMs);
    expect(await store.nextDueAt([theirs.id])).toBe(created.getTime());
    expect(await store.nextDueAt(['no-such-alert'])).toBeUndefined();
  });
});
