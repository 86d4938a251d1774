import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { ROOT, streamalertAsync } from '../support/cli.ts';
import { sampleAlert } from '../support/outputs.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { tempDir } from '../support/secrets.ts';
import { duplicates, fraudInput, pagerdutyProject, sendsById, storeCounts } from './sqlite-project.ts';

const RECORDS_PER_RUN = 1_000;

describe('two processes on one SQLite alert store', () => {
  let pagerduty: LoopbackReceiver;
  beforeAll(async () => {
    pagerduty = await LoopbackReceiver.start();
  });
  afterAll(() => pagerduty.close());

  it('two runs at once both exit 0, and every alert is stored once and delivered once', { timeout: 180_000 }, async () => {
    // Prepare: one project, two inputs of 1,000 alerts each.
    const project = pagerdutyProject(pagerduty);
    const inputs = ['first.ndjson', 'second.ndjson'].map((name) => fraudInput(project.dir, name, RECORDS_PER_RUN));

    // Act: both runs start together and write, claim and record against one file.
    const runs = await Promise.all(inputs.map((input) => streamalertAsync(['--project', project.dir, 'run', '--input', input], { env: project.env })));

    // Assess: no run died, no alert lost, none sent twice (no lease ran out: the receiver is healthy).
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/database is locked|SqliteError|SQLITE_BUSY/);
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Alerts: 1,000/);
    }
    expect(storeCounts(project.dbPath)).toEqual({ alerts: 2 * RECORDS_PER_RUN, byStatus: { delivered: 2 * RECORDS_PER_RUN } });
    const sends = sendsById(pagerduty);
    expect(sends.size).toBe(2 * RECORDS_PER_RUN);
    expect(duplicates(sends)).toEqual([]);
  });

  it('processes opening a fresh database at once all succeed, and the schema is made once', async () => {
    const dbPath = join(tempDir(), '.streamalert', 'alerts.db');
    expect(existsSync(dbPath)).toBe(false);
    const script = `
      import { SqliteAlertStore } from ${JSON.stringify(join(ROOT, 'src', 'store', 'sqlite.ts'))};
      const store = new SqliteAlertStore(process.argv[1]);
      console.log(JSON.stringify(await store.backlog()));
      store.close();`;
    const opened = await Promise.all([1, 2, 3, 4].map(() => runScript(script, [dbPath])));
    for (const { status, stdout, stderr } of opened) {
      expect(stderr).not.toMatch(/already exists/);
      expect({ status, stdout: stdout.trim() }).toEqual({ status: 0, stdout: '{}' });
    }
    expect(storeCounts(dbPath)).toEqual({ alerts: 0, byStatus: {} });
  });

  it('a write waits its turn while another connection holds the lock, yielding meanwhile, then succeeds', async () => {
    const dbPath = join(tempDir(), 'alerts.db');
    const store = new SqliteAlertStore(dbPath);
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');

    // save() has tried once and found the lock taken by the time it returns its promise.
    const saving = store.save([sampleAlert()]);
    other.exec('COMMIT');
    other.close();

    await saving;
    expect(storeCounts(dbPath)).toEqual({ alerts: 1, byStatus: { pending: 1 } });
    store.close();
  });
});

/** Runs an ES module text with tsx, as the CLI loads our sources, in a process of its own. */
async function runScript(source: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source, '--', ...args], { cwd: ROOT, env: { PATH: process.env.PATH } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr };
}
