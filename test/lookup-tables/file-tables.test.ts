import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { installRuleData } from '../../src/lookup-tables/active.ts';
import { loadEnrichment } from '../../src/lookup-tables/enrichment.ts';
import { lookupTable } from '../../src/lookup-tables/lookup.ts';
import { Classifier } from '../../src/classifier/classifier.ts';
import { tempProject } from '../support/rules-project.ts';

// The file driver (ours) and what every driver shares: the lookupTable() API rules use, cache
// TTLs on an injected clock, size limits, and problems that name the table and the fix.

const REGION = { account: { region: 'us-east-1' } };
const MIN = 60_000;

function projectWith(tables: Record<string, unknown>, files: Record<string, string | object> = {}, enabled = true) {
  return tempProject({ 'conf/lookup_tables.json': { enabled, tables }, ...files });
}

/** A clock tests move by hand: TTLs pass without waiting. */
function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const noClassifier = undefined as unknown as Classifier;

afterEach(() => installRuleData(undefined));

describe('file lookup tables', () => {
  it('are read when the project loads and answer get(key, default) as StreamAlert does: a present empty value is returned, not the default', () => {
    const dir = projectWith(
      { browsers: { driver: 'file', path: 'lookup_tables/browsers.json' } },
      { 'lookup_tables/browsers.json': { duo_blacklisted_browsers: ['Netscape'], empty: null, __proto__x: 1 } },
    );
    const enrichment = loadEnrichment({ dir, global: REGION });
    expect(enrichment.problems).toEqual([]);
    const table = lookupTable('browsers');
    expect(table.get('duo_blacklisted_browsers', [])).toEqual(['Netscape']);
    expect(table.get('missing', ['default'])).toEqual(['default']);
    expect(table.get('missing')).toBeUndefined();
    expect(table.get('empty', 'default')).toBeNull();
    expect(table.has('empty')).toBe(true);
    expect(table.has('missing')).toBe(false);
  });

  it('hand rules read-only values, so one rule cannot change what the next one reads', () => {
    const dir = projectWith({ t: { driver: 'file', path: 't.json' } }, { 't.json': { list: ['a'], nested: { deep: [1] } } });
    loadEnrichment({ dir, global: REGION });
    const list = lookupTable('t').get<string[]>('list', []);
    expect(() => list.push('b')).toThrow(TypeError);
    expect(Object.isFrozen(lookupTable('t').get<{ deep: number[] }>('nested')!.deep)).toBe(true);
  });

  it('read gzip files with "compression": "gzip", and name the fix when a gzip file is declared uncompressed', () => {
    const dir = projectWith(
      { zipped: { driver: 'file', path: 'z.json.gz', compression: 'gzip' }, wrong: { driver: 'file', path: 'w.json.gz' } },
      {},
    );
    writeFileSync(join(dir, 'z.json.gz'), gzipSync('{"k": "v"}'));
    writeFileSync(join(dir, 'w.json.gz'), gzipSync('{"k": "v"}'));
    const enrichment = loadEnrichment({ dir, global: REGION });
    expect(lookupTable('zipped').get('k')).toBe('v');
    expect(enrichment.problems.map((problem) => problem.message)).toEqual([
      `conf/lookup_tables.json: lookup table 'wrong': w.json.gz is gzip-compressed but the table says "compression": false; set "compression": "gzip"`,
    ]);
  });

  it('are re-read once cache_refresh_minutes have passed, before a batch, and only when the file changed', async () => {
    const clock = manualClock();
    const dir = projectWith({ t: { driver: 'file', path: 't.json', cache_refresh_minutes: 5 } }, { 't.json': { k: 'first' } });
    const enrichment = loadEnrichment({ dir, global: REGION }, { now: clock.now });
    writeFileSync(join(dir, 't.json'), '{"k": "second"}');
    utimesSync(join(dir, 't.json'), new Date(clock.now() + 1000), new Date(clock.now() + 1000));

    clock.advance(4 * MIN);
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('k')).toBe('first');

    clock.advance(1 * MIN);
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('k')).toBe('second');
  });

  it('keep the rows they had when a re-read fails, warn once, and take the file again when it is fixed', async () => {
    const clock = manualClock();
    const warnings: string[] = [];
    const dir = projectWith({ t: { driver: 'file', path: 't.json', cache_refresh_minutes: 1 } }, { 't.json': { k: 'good' } });
    const enrichment = loadEnrichment({ dir, global: REGION }, { now: clock.now, onWarning: (message) => warnings.push(message) });
    writeFileSync(join(dir, 't.json'), '{"k": ');

    clock.advance(MIN);
    await enrichment.prepare([], noClassifier);
    clock.advance(MIN);
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('k')).toBe('good');
    expect(warnings).toEqual([expect.stringMatching(/^lookup table 't': t\.json is not valid JSON \(.*\); a table is a JSON object of keys and their values$/)]);

    writeFileSync(join(dir, 't.json'), '{"k": "fixed"}');
    clock.advance(MIN);
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('k')).toBe('fixed');
  });

  it('refuse a file over max_size_mb before reading it, and a gzip file that inflates past it', () => {
    const dir = projectWith({
      big: { driver: 'file', path: 'big.json', max_size_mb: 1 },
      bomb: { driver: 'file', path: 'bomb.json.gz', compression: 'gzip', max_size_mb: 1 },
    });
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ k: 'x'.repeat(1024 * 1024) }));
    // 8 MiB of one value compresses to a few KiB.
    writeFileSync(join(dir, 'bomb.json.gz'), gzipSync(JSON.stringify({ k: 'y'.repeat(8 * 1024 * 1024) })));
    const enrichment = loadEnrichment({ dir, global: REGION });
    expect(enrichment.problems.map((problem) => problem.message)).toEqual([
      "conf/lookup_tables.json: lookup table 'big': big.json is 1,048,584 bytes, over this table's limit of 1,048,576 bytes (max_size_mb 1); raise max_size_mb, split the table, or use the dynamodb driver",
      "conf/lookup_tables.json: lookup table 'bomb': bomb.json.gz inflates to more, over this table's limit of 1,048,576 bytes (max_size_mb 1); raise max_size_mb, split the table, or use the dynamodb driver",
    ]);
    expect(() => lookupTable('big').get('k')).toThrow("lookup table 'big' did not load: big.json is 1,048,584 bytes");
  });

  it('a missing file is a load problem naming the table, and rules reading it get an error saying so', () => {
    const dir = projectWith({ gone: { driver: 'file', path: 'lookup_tables/gone.json' }, fine: { driver: 'file', path: 'f.json' } }, { 'f.json': {} });
    const enrichment = loadEnrichment({ dir, global: REGION });
    expect(enrichment.problems).toEqual([
      {
        kind: 'lookup-table',
        file: 'conf/lookup_tables.json',
        name: 'gone',
        message: "conf/lookup_tables.json: lookup table 'gone': lookup_tables/gone.json not found (the table's path in conf/lookup_tables.json is relative to the project folder)",
        disables: 'lookup table gone (rules reading it raise errors)',
      },
    ]);
    expect(() => lookupTable('gone').get('k')).toThrow("lookup table 'gone' did not load: lookup_tables/gone.json not found");
    expect(lookupTable('fine').get('k', 'd')).toBe('d');
  });

  it('a path outside the project is refused', () => {
    const dir = projectWith({ out: { driver: 'file', path: '../../etc/passwd' } });
    expect(loadEnrichment({ dir, global: REGION }).problems.map((problem) => problem.message)).toEqual([
      "conf/lookup_tables.json: lookup table 'out': ../../etc/passwd is outside the project folder; a file table's path is relative to the project, inside it",
    ]);
  });
});

describe('conf/lookup_tables.json', () => {
  it("StreamAlert's own file loads as it is: disabled, S3 and DynamoDB tables with their options", () => {
    const dir = projectWith(
      {
        'dynamo-backed-table': { driver: 'dynamodb', table: 'dynamodb-table-name', partition_key: 'partition-key', value_key: 'value-column', cache_maximum_key_count: 3, cache_refresh_minutes: 3, consistent_read: false },
        's3-backed-table': { driver: 's3', bucket: 's3-bucket-name', key: 'file.json', compression: false, cache_refresh_minutes: 10 },
      },
      {},
      false,
    );
    const enrichment = loadEnrichment({ dir, global: REGION });
    expect(enrichment.problems).toEqual([]);
    expect(enrichment.tables.config.enabled).toBe(false);
    expect([...enrichment.tables.config.tables.keys()]).toEqual(['dynamo-backed-table', 's3-backed-table']);
  });

  it('a table with a wrong option or driver is a problem disabling only that table, with the nearest valid word', () => {
    const dir = projectWith(
      {
        typo: { driver: 'dynamo', table: 't', partition_key: 'p', value_key: 'v' },
        key: { driver: 's3', bucket: 'b', key: 'k', cache_refesh_minutes: 3 },
        missing: { driver: 'dynamodb', table: 't', value_key: 'v' },
        fine: { driver: 'file', path: 'f.json' },
      },
      { 'f.json': { k: 1 } },
    );
    const enrichment = loadEnrichment({ dir, global: REGION });
    expect(enrichment.problems.map((problem) => [problem.name, problem.message])).toEqual([
      ['typo', "conf/lookup_tables.json: tables.typo.driver must be one of 's3', 'dynamodb', 'file' (got 'dynamo'); did you mean 'dynamodb'?"],
      ['key', "conf/lookup_tables.json: unknown key 'tables.key.cache_refesh_minutes'; did you mean 'tables.key.cache_refresh_minutes'?"],
      ['missing', 'conf/lookup_tables.json: tables.missing.partition_key is missing; it must be text'],
    ]);
    expect(lookupTable('fine').get('k')).toBe(1);
    expect(() => lookupTable('typo').get('k')).toThrow("lookup table 'typo' is disabled: its configuration in conf/lookup_tables.json has a problem");
  });

  it('a file that is not JSON disables every table', () => {
    const dir = tempProject({ 'conf/lookup_tables.json': '{ "enabled": true, ' });
    expect(loadEnrichment({ dir, global: REGION }).problems).toMatchObject([{ kind: 'lookup-table', disables: 'every lookup table', message: expect.stringMatching(/^conf\/lookup_tables\.json is not valid JSON/) }]);
  });
});

describe('lookupTable() errors are rule errors that say the fix', () => {
  it('an unknown table, with the nearest name', () => {
    const dir = projectWith({ 'ip-whitelist': { driver: 'file', path: 'w.json' } }, { 'w.json': {} });
    loadEnrichment({ dir, global: REGION });
    expect(() => lookupTable('ip-whitelst').get('k')).toThrow("lookup table 'ip-whitelst' is not in conf/lookup_tables.json; did you mean 'ip-whitelist'?");
  });

  it('a configured table while lookup tables are disabled', () => {
    const dir = projectWith({ t: { driver: 'file', path: 'w.json' } }, {}, false);
    loadEnrichment({ dir, global: REGION });
    expect(() => lookupTable('t').get('k')).toThrow(`lookup table 't' cannot be read: lookup tables are disabled; set "enabled": true in conf/lookup_tables.json`);
  });

  it('no project loaded', () => {
    expect(() => lookupTable('t').get('k')).toThrow("lookup table 't' cannot be read: no project is loaded");
  });
});
