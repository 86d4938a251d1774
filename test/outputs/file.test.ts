import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { createOutputContext } from '../../src/outputs/context.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import { FILE_LINE_MAX_BYTES } from '../../src/outputs/file/file.ts';
import { sampleAlert } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

function fileOutput(projectDir: string, path: string) {
  return createOutput('file', { descriptor: 'audit', values: { path } }, createOutputContext({ projectDir }));
}

describe('file output', () => {
  it('appends one JSON line per alert, relative to the project folder, mode 0600', async () => {
    const dir = tempDir();
    const output = fileOutput(dir, 'alerts.jsonl');
    const first = sampleAlert();
    const second = sampleAlert({ ruleName: 'duo_fraud' });
    expect(await output.dispatch(first, toAlertDocument(first))).toEqual({ kind: 'delivered', reference: join(dir, 'alerts.jsonl') });
    await output.dispatch(second, toAlertDocument(second));

    const lines = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((doc) => [doc.id, doc.rule_name])).toEqual([
      [first.id, 'cloudtrail_root_account_usage'],
      [second.id, 'duo_fraud'],
    ]);
    expect(statSync(join(dir, 'alerts.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('keeps lines whole when many alerts are appended at once', async () => {
    const dir = tempDir();
    const output = fileOutput(dir, 'alerts.jsonl');
    const alerts = Array.from({ length: 200 }, () => sampleAlert({ record: { blob: 'x'.repeat(2000) } }));
    await Promise.all(alerts.map((alert) => output.dispatch(alert, toAlertDocument(alert))));
    const ids = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line).id);
    expect(new Set(ids)).toEqual(new Set(alerts.map((a) => a.id)));
  });

  it('creates a missing folder, private to the user', async () => {
    const dir = tempDir();
    const alert = sampleAlert();
    expect(await fileOutput(dir, 'state/alerts/a.jsonl').dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'delivered' });
    expect(statSync(join(dir, 'state', 'alerts')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(join(dir, 'state', 'alerts', 'a.jsonl'), 'utf8')).id).toBe(alert.id);
  });

  it('appends a line of exactly 10 MiB, and fails too_large one byte over it without writing', async () => {
    const dir = tempDir();
    const output = fileOutput(dir, 'alerts.jsonl');
    const fits = { blob: 'x'.repeat(FILE_LINE_MAX_BYTES - '{"blob":""}\n'.length) };
    expect(await output.dispatch(sampleAlert(), fits)).toMatchObject({ kind: 'delivered' });
    const over = { blob: `${fits.blob}x` };
    const result = await output.dispatch(sampleAlert(), over);
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(result.kind === 'failed' && result.message).toContain('10,485,761 bytes, over the 10,485,760-byte (10 MiB) line limit');
    expect(statSync(join(dir, 'alerts.jsonl')).size).toBe(FILE_LINE_MAX_BYTES);
  });

  it('fails as config when the path is a folder, and as auth without permission', async () => {
    const dir = tempDir();
    const alert = sampleAlert();
    expect(await fileOutput(dir, '.').dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'failed', reason: 'config' });
    if (process.getuid?.() !== 0) {
      mkdirSync(join(dir, 'locked'));
      chmodSync(join(dir, 'locked'), 0o500);
      expect(await fileOutput(dir, 'locked/alerts.jsonl').dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'failed', reason: 'auth' });
    }
  });
});
