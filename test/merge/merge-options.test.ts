import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/classifier/schema.ts';
import { loadProject } from '../../src/config/project.ts';
import { loadRules } from '../../src/rules/loader.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema.ts';
import { OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';
import { tempDir } from '../support/secrets.ts';

async function loadOne(options: string) {
  const dir = tempProject({
    ...SCHEMAS,
    ...OUTPUTS,
    'rules/r.ts': `import { rule } from 'streamalert';\nexport const r = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], ${options} }, () => true);\n`,
  });
  return loadRules({ dir, schemas: loadSchemas(dir).schemas, outputs: loadProject(dir).outputs });
}

describe('merge options on rules', () => {
  it('keeps mergeByKeys, mergeWindowMins (fractions too) and mergeSendFirst', async () => {
    const { rules, problems } = await loadOne("mergeByKeys: ['user'], mergeWindowMins: 0.5, mergeSendFirst: true");
    expect(problems).toEqual([]);
    expect(rules[0]).toMatchObject({ mergeByKeys: ['user'], mergeWindowMins: 0.5, mergeSendFirst: true });
  });

  it.each([
    ["mergeByKeys: ['user']", 'keys without a window'],
    ['mergeWindowMins: 30', 'a window without keys'],
    ["mergeByKeys: ['user'], mergeWindowMins: 0", 'a window of 0'],
    ['mergeSendFirst: true', 'mergeSendFirst alone'],
  ])('refuses %s (%s): an option that would do nothing', async (options) => {
    const { rules, problems } = await loadOne(options);
    expect(rules).toEqual([]);
    expect(problems[0]!.message).toContain('merging alerts needs both mergeByKeys');
  });

  it("refuses a mergeSendFirst that is not true or false", async () => {
    const { problems } = await loadOne("mergeByKeys: ['user'], mergeWindowMins: 1, mergeSendFirst: 'yes'");
    expect(problems[0]!.message).toContain('mergeSendFirst must be true or false');
  });
});

describe('the SQLite schema', () => {
  it('gains the merge tables when a version 4 file is opened, its alerts kept', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.streamalert'));
    const path = join(dir, '.streamalert', 'alerts.db');
    new SqliteAlertStore(path).close();
    const v4 = new Database(path);
    v4.exec("DROP TABLE merge_windows; DROP TABLE merge_members; INSERT INTO alerts (id, rule_name, created, alert) VALUES ('a1', 'r', '2026-01-01T00:00:00.000Z', '{}'); PRAGMA user_version = 4;");
    v4.close();

    const store = new SqliteAlertStore(path);
    store.close();
    const upgraded = new Database(path);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'merge_%' ORDER BY name").all()).toEqual([{ name: 'merge_members' }, { name: 'merge_windows' }]);
    expect(upgraded.prepare('SELECT id FROM alerts').all()).toEqual([{ id: 'a1' }]);
    upgraded.close();
  });
});
