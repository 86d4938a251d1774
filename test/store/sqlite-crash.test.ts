import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { ROOT, waitUntil } from '../support/cli.ts';
import { tempDir } from '../support/secrets.ts';

describe('the SQLite alert store killed mid-write', () => {
  it('loses nothing it said was stored: every saved alert and every recorded result (group commits) survive SIGKILL', async () => {
    const path = join(tempDir(), 'alerts.db');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.js'), join(import.meta.dirname, 'group-commit-writer.ts'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Killed while it works: after a few hundred results, wherever it is then.
    await waitUntil(() => {
      if (child.exitCode !== null) throw new Error(`the writer exited ${child.exitCode}: ${stderr}`);
      return (stdout.match(/^recorded /gm) ?? []).length >= 300;
    });
    child.kill('SIGKILL');
    await exited;

    // Only whole lines: the last one may have been cut by the kill.
    const lines = stdout.slice(0, stdout.lastIndexOf('\n')).split('\n');
    const saved = lines.filter((line) => line.startsWith('saved ')).flatMap((line) => line.split(' ').slice(1));
    const recorded = lines.filter((line) => line.startsWith('recorded ')).map((line) => line.split(' ').slice(1) as [string, string]);
    expect(recorded.length).toBeGreaterThanOrEqual(300);

    const store = new SqliteAlertStore(path);
    try {
      const stored = new Set((await store.list({ limit: 1_000_000 })).map((entry) => entry.alert.id));
      expect(saved.filter((id) => !stored.has(id))).toEqual([]);
      for (const [id, output] of recorded) {
        const detail = (await store.get(id))!;
        expect(detail.deliveries.find((d) => d.output === output)).toMatchObject({ status: 'delivered', attempts: 1, lastResult: `delivered (ref-${id})` });
        expect(detail.history.filter((h) => h.output === output)).toHaveLength(1);
      }
      // What was not said may be anywhere, but never half-written: each delivery pending, or delivered with its history.
      const backlog = await store.backlog();
      expect(Object.values(backlog).every((b) => b.failed === 0)).toBe(true);
    } finally {
      store.close();
    }
  });
});
