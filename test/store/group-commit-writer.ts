// A process that stores and delivers alerts through the SQLite store until it is killed, saying
// on standard output what it was told is stored: `saved ID...` once save() resolved for a batch,
// `recorded ID` once record() resolved for its delivery. test/store/sqlite-crash.test.ts kills it
// with SIGKILL at an arbitrary point and checks that everything said is in the file. Each
// batch's results and the claim of the next batch share one commit, as in the delivery engine.
import { createAlert } from '../../src/alerts/alert.ts';
import { delivered } from '../../src/outputs/result.ts';
import type { ClaimedDelivery } from '../../src/store/alert-store.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';

const store = new SqliteAlertStore(process.argv[2]!);
let claimed: ClaimedDelivery[] = [];
for (let batch = 0; ; batch++) {
  const alerts = Array.from({ length: 50 }, (_, i) => createAlert({ ruleName: 'crash_test', record: { batch, i }, outputs: ['slack:sec', 'file:audit'] }));
  await store.save(alerts);
  process.stdout.write(`saved ${alerts.map((alert) => alert.id).join(' ')}\n`);
  // Every result in flight at once: they are recorded in group commits, and each is said as its own promise resolves.
  const recording = Promise.all(
    claimed.map(async (claim) => {
      const at = Date.now();
      if (await store.record(claim, { result: delivered(`ref-${claim.alert.id}`), at, durationMs: 1 })) {
        process.stdout.write(`recorded ${claim.alert.id} ${claim.output}\n`);
      }
    }),
  );
  // The next claim made while those results wait, as the delivery engine makes it: it rides in their commit.
  const next = store.claimDue({ now: Date.now(), limit: 100, leaseMs: 60_000, perOutput: 100 });
  await recording;
  claimed = await next;
}
