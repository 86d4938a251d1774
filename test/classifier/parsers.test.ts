import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Classifier } from '../../src/classifier/classifier.ts';
import { CSV_FIELD_SIZE_LIMIT } from '../../src/classifier/parsers/csv.ts';
import { ENVELOPE_KEY } from '../../src/classifier/record.ts';
import { loadSchemas, type LogSchema } from '../../src/classifier/schema.ts';

// Schema files written for these tests in StreamAlert's shapes: one per parser, every option
// its schema format has (each file is written as JSON text, loaded from conf/schemas/ as a project loads it).
const SCHEMA_FILES = {
  'aurora.json': {
    'cloudwatch:rds_aurora': {
      schema: { timestamp: 'integer', serverhost: 'string', username: 'string', host: 'string', connectionid: 'integer', queryid: 'integer', operation: 'string', database: 'string', object: 'string', retcode: 'integer' },
      parser: 'csv',
      configuration: {
        envelope_keys: { logGroup: 'string', logStream: 'string', messageType: 'string', owner: 'string', subscriptionFilters: [] },
        json_path: 'logEvents[*].message',
        escapechar: '\\',
        quotechar: "'",
      },
    },
  },
  'csv.json': {
    'chef:run': {
      parser: 'csv',
      schema: { date: 'string', time: 'integer', host: 'string', env: 'string', message: { application: 'string', role: 'string', cluster_size: 'integer', result: 'string' } },
    },
    'web:access': {
      parser: 'csv',
      schema: { host: 'string', status: 'integer', seconds: 'float', cached: 'boolean', tags: [], path: 'string' },
      configuration: { delimiter: '|', quotechar: '"', optional_top_level_keys: ['tags'], log_patterns: { path: ['/api/*', '/admin*'] }, priority: 2 },
    },
  },
  'kv.json': {
    'box:kv': { parser: 'kv', schema: { name: 'string', result: 'string', count: 'integer' }, configuration: { delimiter: ',', separator: ':' } },
    'dhcp:lease': { parser: 'kv', schema: { ip: 'string', mac: 'string', lease: 'integer', host: 'string' }, configuration: { optional_top_level_keys: ['host'] } },
  },
  'syslog.json': {
    'osx:syslog': {
      parser: 'syslog',
      schema: { timestamp: 'string', host: 'string', application: 'string', message: 'string' },
      configuration: { log_patterns: { application: ['sudo', 'sshd'] } },
    },
  },
  'json.json': {
    'ghe:general': {
      parser: 'json',
      schema: { action: 'string', actor: 'string', data: {}, repo: 'string', user: 'string' },
      configuration: {
        priority: 0,
        json_regex_key: 'message',
        envelope_keys: { '@timestamp': 'string', host: 'string', program: 'string', tags: [] },
        optional_envelope_keys: ['program'],
        optional_top_level_keys: ['repo', 'user'],
      },
    },
    'ghe:syslog': { parser: 'json', schema: { '@timestamp': 'string', host: 'string', message: 'string', tags: [] }, configuration: { priority: 1 } },
    'cloudwatch:events': {
      parser: 'json',
      schema: { detail: {}, 'detail-type': 'string', id: 'string', source: 'string', time: 'string' },
      configuration: { json_path: 'logEvents[*].message', embedded_json: true, envelope_keys: { logGroup: 'string', messageType: 'string' } },
    },
    'cloudwatch:control_message': {
      parser: 'json',
      schema: { id: 'string', message: 'string', timestamp: 'integer' },
      configuration: { json_path: 'logEvents[*]', envelope_keys: { logGroup: 'string', messageType: 'string' }, log_patterns: { [ENVELOPE_KEY]: { messageType: ['CONTROL_MESSAGE'] } } },
    },
    'streamquery:version1': {
      parser: 'json',
      schema: { streamquery_schema_version: 'string', execution: {}, data: { rows: [] }, tags: ['string'] },
      configuration: { log_patterns: { streamquery_schema_version: '1.*.*' }, optional_top_level_keys: ['tags'], normalization: { user: ['execution.user'] } },
    },
  },
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function loadProject(files: Record<string, object>): { schemas: LogSchema[]; problems: unknown[] } {
  const dir = mkdtempSync(join(tmpdir(), 'streamalert-parsers-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'conf', 'schemas'), { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'conf', 'schemas', name), `${JSON.stringify(content, null, 2)}\n`);
  return loadSchemas(dir);
}

const { schemas, problems } = loadProject(SCHEMA_FILES);
const classify = (logType: string, payload: unknown) => new Classifier(schemas, logType).classify(payload);

describe('schema files of every parser and option load unchanged', () => {
  it('loads every log type, with no problem', () => {
    expect(problems).toEqual([]);
    expect(schemas.map((schema) => `${schema.name} (${schema.parser})`).sort()).toEqual([
      'box:kv (kv)',
      'chef:run (csv)',
      'cloudwatch:control_message (json)',
      'cloudwatch:events (json)',
      'cloudwatch:rds_aurora (csv)',
      'dhcp:lease (kv)',
      'ghe:general (json)',
      'ghe:syslog (json)',
      'osx:syslog (syslog)',
      'streamquery:version1 (json)',
      'web:access (csv)',
    ]);
  });

  it('reads the csv dialect and kv settings, with StreamAlert defaults where absent', () => {
    const byName = new Map(schemas.map((schema) => [schema.name, schema]));
    expect(byName.get('cloudwatch:rds_aurora')!.csv).toEqual({ delimiter: ',', quote: "'", escape: '\\' });
    expect(byName.get('chef:run')!.csv).toEqual({ delimiter: ',', quote: '"', escape: undefined });
    expect(byName.get('box:kv')!.kv).toEqual({ delimiter: ',', separator: ':' });
    expect(byName.get('dhcp:lease')!.kv).toEqual({ delimiter: ' ', separator: '=' });
  });
});

describe('csv', () => {
  const aurora = (...messages: string[]) => ({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/rds/cluster/db/audit',
    logStream: 'db-1.audit.log',
    subscriptionFilters: ['to-streamalert'],
    logEvents: messages.map((message, index) => ({ id: String(index), timestamp: 1530644171134, message })),
  });

  it('reads csv text at json_path, with the envelope, types converted', () => {
    const { classified, unclassified } = classify('cloudwatch:rds_aurora', aurora('1526951139360429,server-name,username,localhost,70558,0,CONNECT,,,0'));
    expect(unclassified).toEqual([]);
    expect(classified[0]!.record).toEqual({
      timestamp: 1526951139360429,
      serverhost: 'server-name',
      username: 'username',
      host: 'localhost',
      connectionid: 70558,
      queryid: 0,
      operation: 'CONNECT',
      database: '',
      object: '',
      retcode: 0,
      [ENVELOPE_KEY]: { logGroup: '/aws/rds/cluster/db/audit', logStream: 'db-1.audit.log', messageType: 'DATA_MESSAGE', owner: '123456789012', subscriptionFilters: ['to-streamalert'] },
    });
  });

  it('takes the quotechar and escapechar of the schema', () => {
    const query = "1530644171134057,server-name,username,127.0.0.0,86544374,231296082,QUERY,testing,'SELECT a, b FROM t WHERE x = \\'that\\'',0";
    const { classified } = classify('cloudwatch:rds_aurora', aurora(query));
    expect(classified[0]!.record.object).toBe("SELECT a, b FROM t WHERE x = 'that'");
  });

  it('reports a row of the wrong length, names the parser, and classifies the other rows', () => {
    const { classified, unclassified } = classify('cloudwatch:rds_aurora', aurora('1,h,u,l,2,3,CONNECT,,,0', 'too,few,fields'));
    expect(classified).toHaveLength(1);
    expect(unclassified).toEqual([
      { index: 1, record: 'too,few,fields', reason: "cloudwatch:rds_aurora: csv parser: a row of 3 fields, expected 10 (the schema's columns, in order)" },
    ]);
  });

  it('reads nested csv in a column whose type is a nested schema', () => {
    const { classified } = classify('chef', '"Jan 10, 2017","1485739910","host1.prod.test","Corp","chef,web-server,100,fail"');
    expect(classified[0]!.record).toEqual({
      date: 'Jan 10, 2017',
      time: 1485739910,
      host: 'host1.prod.test',
      env: 'Corp',
      message: { application: 'chef', role: 'web-server', cluster_size: 100, result: 'fail' },
    });
  });

  it('says which nested column does not fit', () => {
    const { unclassified } = classify('chef', '"Jan 10, 2017","1485739910","host1","Corp","chef,web-server,1"');
    expect(unclassified[0]!.reason).toBe("chef:run: csv parser: column message.: a row of 3 fields, expected 4 (the schema's nested columns, in order)");
  });

  it('gives a record per line, an empty line being a row of no fields, as Python reads it', () => {
    const { classified, unclassified } = classify('web:access', 'a|200|0.5|true||/api/x\n\nb|404|1e-3|False||/admin\n');
    expect(classified.map((item) => item.record)).toEqual([
      { host: 'a', status: 200, seconds: 0.5, cached: true, tags: '', path: '/api/x' },
      { host: 'b', status: 404, seconds: 0.001, cached: false, tags: '', path: '/admin' },
    ]);
    expect(unclassified.map((item) => item.reason)).toEqual(["web:access: csv parser: a row of 0 fields, expected 6 (the schema's columns, in order)"]);
  });

  it('checks log_patterns on the columns', () => {
    expect(classify('web:access', 'a|200|0.5|true||/static/x').unclassified[0]!.reason).toBe('web:access: log_patterns: path \'/static/x\' matches none of /api/*, /admin*');
  });

  it("fills a [] column with text only when it is empty: StreamAlert's csv never yields a list", () => {
    expect(classify('web:access', 'a|200|0.5|true|x|/api/').unclassified[0]!.reason).toBe('web:access: tags: expected a list, got a string "x"');
  });

  it('refuses a value that does not convert, naming the field', () => {
    expect(classify('web:access', 'a|two hundred|0.5|true||/api/').unclassified[0]!.reason).toBe('web:access: status: expected an integer, got a string "two hundred"');
  });

  it('ends a quoted field left open at the end of the text, as Python does', () => {
    expect(classify('chef', 'd,1,h,e,"chef,web,1,ok').classified[0]!.record.message).toEqual({ application: 'chef', role: 'web', cluster_size: 1, result: 'ok' });
  });

  it('refuses a field longer than Python\'s csv field limit, and goes on with the next payload', () => {
    const long = 'x'.repeat(CSV_FIELD_SIZE_LIMIT + 1);
    expect(classify('web:access', `a|200|0.5|true||${long}`).unclassified[0]!.reason).toBe(
      `web:access: csv parser: a field is longer than ${CSV_FIELD_SIZE_LIMIT} characters (Python's csv field limit)`,
    );
    expect(classify('web:access', `"${long}"|200|0.5|true||/api/`).unclassified[0]!.reason).toMatch(/csv parser: a field is longer than 131072 characters/);
    expect(classify('web:access', 'a|200|0.5|true||/api/').classified).toHaveLength(1);
  });

  it('refuses a line of a million fields with the count', () => {
    const { unclassified } = classify('web:access', '|'.repeat(1_000_000));
    expect(unclassified[0]!.reason).toBe("web:access: csv parser: a row of 1000001 fields, expected 6 (the schema's columns, in order)");
  });

  it('takes text only: a JSON object is not csv', () => {
    expect(classify('web:access', { host: 'a' }).unclassified[0]!.reason).toBe('web:access: csv parser: expected csv text, got an object');
  });
});

describe('kv', () => {
  it('splits on the delimiter and the separator of the schema', () => {
    expect(classify('box', 'name:joe bob,result:success,count:3').classified[0]!.record).toEqual({ name: 'joe bob', result: 'success', count: 3 });
  });

  it("defaults to spaces and '=', drops empty pieces, and keeps what follows the first separator", () => {
    expect(classify('dhcp', 'ip=10.0.0.5  mac=aa:bb  lease=3600 host=a=b').classified[0]!.record).toEqual({ ip: '10.0.0.5', mac: 'aa:bb', lease: 3600, host: 'a=b' });
  });

  it('gives a key seen twice the schema key at its position', () => {
    expect(classify('box', 'name:joe,result:ok,name:7').classified[0]!.record).toEqual({ name: 'joe', result: 'ok', count: 7 });
  });

  it('needs as many fields as the schema has keys, optional ones included', () => {
    expect(classify('dhcp', 'ip=10.0.0.5 mac=aa:bb lease=3600').unclassified[0]!.reason).toBe('dhcp:lease: kv parser: 3 fields separated by " ", expected 4 (one per schema key)');
  });

  it('skips a field without the separator, so its key is missing', () => {
    expect(classify('box', 'name:joe,result,count:1').unclassified[0]!.reason).toBe("box:kv: missing key 'result'");
  });

  it('bounds the work on a huge value: one split, one record', () => {
    const huge = 'v'.repeat(4 * 1024 * 1024);
    expect(classify('box', `name:${huge},result:ok,count:1`).classified[0]!.record.name).toHaveLength(huge.length);
  });
});

describe('syslog', () => {
  it("yields StreamAlert's four fields", () => {
    const line = 'Jan 26 19:35:33 vagrant-ubuntu-trusty-64 sudo: pam_unix(sudo:session): session opened for user root by (uid=0)';
    expect(classify('osx', line).classified[0]!.record).toEqual({
      timestamp: 'Jan 26 19:35:33',
      host: 'vagrant-ubuntu-trusty-64',
      application: 'sudo',
      message: 'pam_unix(sudo:session): session opened for user root by (uid=0)',
    });
  });

  it('takes a [pid] after the application, and a final newline', () => {
    expect(classify('osx', 'Jan 10 19:35:13 host-2 sshd[13941]: Accepted publickey for mike\n').classified[0]!.record).toMatchObject({ application: 'sshd', message: 'Accepted publickey for mike' });
  });

  it.each([
    ['a one-digit day padded with a space', 'Jan  5 19:35:13 host sshd: x'],
    ['a host with dots', 'Jan 26 19:35:33 web.example.com sshd: x'],
    ['a message of two lines', 'Jan 26 19:35:33 h sshd: two\nlines'],
    ['no message', 'Jan 26 19:35:33 vagrant-ubuntu-trusty-64'],
  ])('refuses %s, as StreamAlert\'s pattern does', (_name, line) => {
    expect(classify('osx', line).unclassified[0]!.reason).toMatch(/^osx:syslog: syslog parser: not a syslog line \('Mon DD HH:MM:SS host application\[pid\]: message'\)/);
  });

  it('checks log_patterns', () => {
    expect(classify('osx', 'Jan 26 19:35:33 h cron: x').unclassified[0]!.reason).toBe("osx:syslog: log_patterns: application 'cron' matches none of sudo, sshd");
  });

  it('matches a syslog line of megabytes in one pass', () => {
    const message = 'm'.repeat(8 * 1024 * 1024);
    expect(classify('osx', `Jan 26 19:35:33 h sudo: ${message}`).classified[0]!.record.message).toHaveLength(message.length);
    expect(classify('osx', `Jan 26 19:35:33 ${'h'.repeat(8 * 1024 * 1024)} sudo: x`).classified[0]!.record.host).toHaveLength(8 * 1024 * 1024);
    expect(classify('osx', `Jan 26 ${'1'.repeat(8 * 1024 * 1024 + 1)} h sudo: x`).unclassified[0]!.reason).toMatch(/syslog parser: not a syslog line/);
  });
});

describe('json options as StreamAlert reads them', () => {
  const gheLine = (json: string) => ({ '@timestamp': '2017-01-01T00:00:00Z', host: 'ghe-1', tags: [], message: `<134>Jan 1 github_audit: ${json}` });

  it('json_regex_key: the JSON blob in the text, with the envelope and its optional key defaulted', () => {
    const { classified } = classify('ghe', gheLine('{"action":"repo.create","actor":"alice","data":{"x":1}}'));
    expect(classified[0]!.schema.name).toBe('ghe:general');
    expect(classified[0]!.record).toEqual({
      action: 'repo.create',
      actor: 'alice',
      data: { x: 1 },
      repo: '',
      user: '',
      [ENVELOPE_KEY]: { '@timestamp': '2017-01-01T00:00:00Z', host: 'ghe-1', program: '', tags: [] },
    });
  });

  it('json_regex_key looks on one line only, as Python\'s "." does; the next schema by priority then takes the record', () => {
    const { classified } = classify('ghe', gheLine('{"action":\n"repo.create","actor":"alice","data":{}}'));
    expect(classified[0]!.schema.name).toBe('ghe:syslog');
  });

  it('{} lets any value through, where today a list or text was refused', () => {
    const { classified } = classify('ghe:general', gheLine('{"action":"a","actor":"b","data":"not an object"}'));
    expect(classified[0]!.record.data).toBe('not an object');
  });

  it('embedded_json: each message parsed, a bad one reported with the reason', () => {
    const payload = { logGroup: 'events', messageType: 'DATA_MESSAGE', logEvents: [{ message: JSON.stringify({ detail: {}, 'detail-type': 'x', id: '1', source: 'aws.ec2', time: 't' }) }, { message: '{broken' }] };
    const { classified, unclassified } = classify('cloudwatch:events', payload);
    expect(classified).toHaveLength(1);
    expect(unclassified[0]!.reason).toMatch(/^cloudwatch:events: embedded JSON is not valid/);
  });

  it('log_patterns on the envelope decide alone, as in StreamAlert', () => {
    const control = (messageType: string) => ({ logGroup: 'g', messageType, logEvents: [{ id: '1', message: 'CWL CONTROL MESSAGE', timestamp: 1 }] });
    expect(classify('cloudwatch:control_message', control('CONTROL_MESSAGE')).classified).toHaveLength(1);
    expect(classify('cloudwatch:control_message', control('DATA_MESSAGE')).unclassified[0]!.reason).toBe(
      "cloudwatch:control_message: log_patterns: streamalert:envelope_keys.messageType 'DATA_MESSAGE' matches none of CONTROL_MESSAGE",
    );
  });

  it('a flat pattern string, a typed list [\'string\'] as [], and optional keys defaulted after log_patterns', () => {
    const { classified } = classify('streamquery', { streamquery_schema_version: '1.0.0', execution: { user: 'x' }, data: { rows: [] } });
    expect(classified[0]!.record).toEqual({ streamquery_schema_version: '1.0.0', execution: { user: 'x' }, data: { rows: [] }, tags: [] });
    expect(classify('streamquery', { streamquery_schema_version: '2.0.0', execution: {}, data: { rows: [] } }).classified).toEqual([]);
  });

  it('log_patterns see an absent optional key as absent (its default comes after)', () => {
    const [schema] = loadProject({ 'p.json': { 'p:q': { parser: 'json', schema: { a: 'string', b: 'string' }, configuration: { optional_top_level_keys: ['b'], log_patterns: { b: ['*'] } } } } }).schemas;
    const result = new Classifier([schema!]).classify({ a: 'x' });
    expect(result.unclassified[0]!.reason).toBe('p:q: log_patterns: b is missing');
    // And a record that fails its patterns is left unconverted for the next schema.
    const record = { a: 5, b: 'no' };
    const [strict] = loadProject({ 'p.json': { 'p:q': { parser: 'json', schema: { a: 'string', b: 'string' }, configuration: { log_patterns: { b: ['yes'] } } } } }).schemas;
    new Classifier([strict!]).classify(record);
    expect(record.a).toBe(5);
  });

  it('an optional key with a nested schema must be present, as StreamAlert checks it', () => {
    const [schema] = loadProject({ 'n.json': { 'n:m': { parser: 'json', schema: { a: 'string', meta: { id: 'integer' } }, configuration: { optional_top_level_keys: ['meta'] } } } }).schemas;
    expect(new Classifier([schema!]).classify({ a: 'x' }).unclassified[0]!.reason).toMatch(/key 'meta' missing: an optional key with a nested schema must be present/);
    expect(new Classifier([schema!]).classify({ a: 'x', meta: { id: '4' } }).classified[0]!.record).toEqual({ a: 'x', meta: { id: 4 } });
  });
});
