import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { streamalertAsync } from '../support/cli.ts';
import { sampleAlert } from '../support/outputs.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { duplicates, fraudInput, pagerdutyProject, sendsById, storeCounts } from './sqlite-project.ts';

/** A stack trace in the output means something went uncaught. */
const STACK_FRAME = /^\s+at /m;

/** Mounts a tmpfs of `size` on `dir` (root only); undefined when it worked, else why not. */
function mountTmpfs(dir: string, size: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  return mounted.status === 0 ? undefined : `cannot mount a tmpfs (${(mounted.stderr || mounted.error?.message || '').trim()}): needs root`;
}

describe('the SQLite alert store under faults', () => {
  let pagerduty: LoopbackReceiver;
  beforeAll(async () => {
    pagerduty = await LoopbackReceiver.start();
  });
  afterAll(() => pagerduty.close());
  beforeEach(() => {
    pagerduty.requests.length = 0;
  });

  describe('a full disk', () => {
    const mounts: string[] = [];
    afterAll(() => {
      for (const dir of mounts) spawnSync('umount', [dir]);
    });

    it('ends the run with the summary and SQLITE_FULL naming the file; once space is freed, alerts retry delivers the rest', { timeout: 180_000 }, async (test) => {
      // Prepare: .streamalert on a 2 MB disk, and inputs of 300 alerts each (one batch per file) that need more.
      let cannotMount: string | undefined;
      const project = pagerdutyProject(pagerduty, (dir) => {
        cannotMount = mountTmpfs(join(dir, '.streamalert'), '2m');
        if (!cannotMount) mounts.push(join(dir, '.streamalert'));
      });
      if (cannotMount) return test.skip(cannotMount);
      const inputs = Array.from({ length: 12 }, (_, i) => fraudInput(project.dir, `part-${i}.ndjson`, 300));

      // Act: the disk fills mid-run.
      const run = await streamalertAsync(['--project', project.dir, 'run', '--input', ...inputs], { env: project.env });

      // Assess: a clear error naming the file and the fix, after the summary; nothing uncaught.
      expect(run.status, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toContain(`error: the alert store ${project.dbPath}: database or disk is full (SQLITE_FULL); free space and run 'streamalert alerts retry'`);
      expect(run.stdout).toMatch(/Read [\d,]+ input records/);
      expect(run.stdout).toMatch(/Deliveries:/);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stderr).not.toContain('The database connection is not open');

      // Act: space is freed, and the stored alerts are delivered.
      expect(spawnSync('mount', ['-o', 'remount,size=64m', join(project.dir, '.streamalert')]).status).toBe(0);
      const retry = await streamalertAsync(['--project', project.dir, 'alerts', 'retry'], { env: project.env });

      // Assess: everything stored is delivered; an alert is sent twice only when its first send could not be recorded (the disk was full), so its lease brought it back.
      expect(retry.status, retry.stdout + retry.stderr).toBe(0);
      const stored = storeCounts(project.dbPath);
      expect(stored.alerts).toBeGreaterThan(0);
      expect(stored.alerts).toBeLessThan(12 * 300);
      expect(stored.byStatus).toEqual({ delivered: stored.alerts });
      const sends = sendsById(pagerduty);
      expect(sends.size).toBe(stored.alerts);
      const unrecorded = new Set([...run.stderr.matchAll(/attempt for alert ([0-9a-f-]{36}) not recorded/g)].map((match) => match[1]));
      expect(duplicates(sends).filter((id) => !unrecorded.has(id))).toEqual([]);
    });
  });

  it('a truncated gzip input: a clear error naming the file, the summary, and what was read delivered once', { timeout: 120_000 }, async () => {
    const project = pagerdutyProject(pagerduty);
    const whole = readFileSync(fraudInput(project.dir, 'whole.ndjson.gz', 4_000));
    const cut = join(project.dir, 'cut.ndjson.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));

    const run = await streamalertAsync(['--project', project.dir, 'run', '--input', cut], { env: project.env });

    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain(`error: ${cut} is not valid gzip (unexpected end of file)`);
    expect(run.stderr).not.toContain('the alert store');
    expect(run.stderr).not.toMatch(STACK_FRAME);
    const read = Number(/Read ([\d,]+) input records/.exec(run.stdout)?.[1]?.replaceAll(',', ''));
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(4_000);
    expect(storeCounts(project.dbPath)).toEqual({ alerts: read, byStatus: { delivered: read } });
    const sends = sendsById(pagerduty);
    expect(sends.size).toBe(read);
    expect(duplicates(sends)).toEqual([]);
  });

  it('a corrupt row (an alert that is not JSON) is skipped and reported once, marked failed and kept; other alerts and later runs go on', async () => {
    // Prepare: three stored alerts, one of them damaged by hand.
    const project = pagerdutyProject(pagerduty);
    const alerts = [1, 2, 3].map(() => sampleAlert({ outputs: ['pagerduty:oncall'] }));
    const store = new SqliteAlertStore(project.dbPath);
    await store.save(alerts);
    store.close();
    const broken = alerts[1]!.id;
    const db = new Database(project.dbPath);
    db.prepare('UPDATE alerts SET alert = ? WHERE id = ?').run('{"id": "cut off', broken);
    db.close();

    // Act: deliver what is pending, then list.
    const retry = await streamalertAsync(['--project', project.dir, 'alerts', 'retry'], { env: project.env });
    const listed = await streamalertAsync(['--project', project.dir, 'alerts', 'list', '--json'], { env: project.env });

    // Assess: the others delivered; the corrupt one reported once per process, failed with the reason, and kept.
    const report = `streamalert: the alert store ${project.dbPath}: alert ${broken} is corrupt (not valid JSON (`;
    expect(retry.stderr.split(report)).toHaveLength(2);
    expect(retry.stderr).toContain(`its deliveries are marked failed ('streamalert alerts discard ${broken}' gives up on them)`);
    expect([...sendsById(pagerduty).keys()].sort()).toEqual([alerts[0]!.id, alerts[2]!.id].sort());
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((alert) => alert.id).sort()).toEqual([alerts[0]!.id, alerts[2]!.id].sort());
    expect(listed.stderr.split(report)).toHaveLength(2);
    const row = new Database(project.dbPath, { readonly: true });
    expect(row.prepare('SELECT alert FROM alerts WHERE id = ?').get(broken)).toEqual({ alert: '{"id": "cut off' });
    expect(row.prepare('SELECT status, last_result FROM deliveries WHERE alert_id = ?').get(broken)).toEqual({
      status: 'failed',
      last_result: expect.stringMatching(/^the stored alert is corrupt: not valid JSON \(/),
    });
    row.close();

    // Act and assess: a later run is not held back by it.
    const run = await streamalertAsync(['--project', project.dir, 'run', '--input', fraudInput(project.dir, 'later.ndjson', 1)], { env: project.env });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/pagerduty:oncall\s+1 delivered/);
  });
});
