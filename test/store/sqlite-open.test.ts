import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import { StoreError } from '../../src/store/errors.ts';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema.ts';
import { openAlertStore } from '../../src/store/open.ts';
import { sqliteStoreError } from '../../src/store/sqlite-errors.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { streamalert } from '../support/cli.ts';
import { sampleAlert } from '../support/outputs.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv, tempDir } from '../support/secrets.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('opening the SQLite alert store', () => {
  it('names the file and the fix when alerts.db is not an SQLite database, exit 2, and leaves the file alone', () => {
    const dir = tempProject({ '.streamalert/alerts.db': 'these are notes, not a database\n'.repeat(200) });
    const path = join(dir, '.streamalert', 'alerts.db');

    const listed = streamalert(['--project', dir, 'alerts', 'list'], { env: isolatedEnv() });

    expect(listed.status).toBe(2);
    expect(listed.stderr.trim()).toBe(
      `error: the alert store ${path} is not an SQLite database (file is not a database, SQLITE_NOTADB); ` +
        'move it aside (with its -wal and -shm files, if any) and run again: a new one is created',
    );
    expect(readFileSync(path, 'utf8')).toBe('these are notes, not a database\n'.repeat(200));
  });

  it('refuses a database written by a newer release, naming it and the fix', () => {
    const path = join(tempDir(), 'alerts.db');
    const newer = new Database(path);
    newer.pragma('user_version = 99');
    newer.close();

    expect(() => new SqliteAlertStore(path)).toThrow(
      new StoreError(`the alert store ${path} was written by a newer StreamAlert (schema 99; this one reads ${SCHEMA_VERSION}); upgrade streamalert`, {
        location: path,
        code: 'SCHEMA_NEWER',
        setup: true,
      }),
    );
  });

  it('keeps a new alerts.db and its -wal and -shm files readable by their owner only', async () => {
    const path = join(tempDir(), '.streamalert', 'alerts.db');
    const store = new SqliteAlertStore(path);
    await store.save([sampleAlert()]);

    expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    store.close();
  });

  it('makes an alerts.db made elsewhere (by hand, an older release, a backup) owner-only, with its -wal and -shm', async () => {
    const dir = join(tempDir(), '.streamalert');
    mkdirSync(dir);
    const path = join(dir, 'alerts.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);

    const store = new SqliteAlertStore(path);
    await store.save([sampleAlert()]);

    expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    store.close();
  });
});

describe('SQLite errors as store errors', () => {
  it('reports a full database with the path and the fix: SQLite itself says SQLITE_FULL', () => {
    // A size-limited database (PRAGMA max_page_count) fails exactly as a full disk does.
    const db = new Database(join(tempDir(), 'small.db'));
    db.exec('CREATE TABLE filler (text TEXT)');
    db.pragma('max_page_count = 8');
    let thrown: unknown;
    try {
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO filler VALUES (?)').run('x'.repeat(4_000));
    } catch (error) {
      thrown = error;
    }
    db.close();

    const error = sqliteStoreError('/p/.streamalert/alerts.db', thrown, 30_000);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({
      message: "the alert store /p/.streamalert/alerts.db: database or disk is full (SQLITE_FULL); free space and run 'streamalert alerts retry'",
      code: 'SQLITE_FULL',
      setup: false,
      location: '/p/.streamalert/alerts.db',
      cause: thrown,
    });
  });

  it('leaves an error that is not SQLite\'s as it is', () => {
    const bug = new TypeError('x is undefined');
    expect(sqliteStoreError('/p/alerts.db', bug, 30_000)).toBe(bug);
  });
});

describe('store.synchronous', () => {
  it('syncs every commit with "full" and leaves the default "normal" (WAL synced at checkpoints)', async () => {
    const normal = await openAlertStore(loadProject(tempProject({})));
    const full = await openAlertStore(loadProject(tempProject({ 'conf/global.json': { store: { synchronous: 'full' } } })));
    try {
      expect((normal as SqliteAlertStore).synchronous).toBe('normal');
      expect((full as SqliteAlertStore).synchronous).toBe('full');
      await full.save([sampleAlert({ outputs: ['slack:sec'] })]);
      expect(await full.pendingByOutput()).toEqual({ 'slack:sec': 1 });
    } finally {
      normal.close();
      full.close();
    }
  });

  it('refuses a value other than "normal" or "full", naming the key', () => {
    const dir = tempProject({ 'conf/global.json': { store: { synchronous: 'off' } } });
    expect(() => loadProject(dir)).toThrow("conf/global.json: store.synchronous must be one of 'normal', 'full' (got 'off')");
  });
});
