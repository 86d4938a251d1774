import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/classifier/errors.ts';
import { loadSchemas, parseSchemaFile } from '../../src/classifier/schema.ts';
import { ConfigError } from '../../src/config/errors.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project folder holding only conf/schemas/<name> files. */
function schemaFolder(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamalert-schemas-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'conf', 'schemas'), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, 'conf', 'schemas', name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

/** StreamAlert's own CloudTrail schema file, as shipped in its conf/schemas/cloudtrail.json. */
const STREAMALERT_CLOUDTRAIL = {
  'cloudtrail:digest': {
    schema: {
      awsAccountId: 'string',
      digestEndTime: 'string',
      digestPublicKeyFingerprint: 'string',
      digestS3Bucket: 'string',
      digestS3Object: 'string',
      digestSignatureAlgorithm: 'string',
      digestStartTime: 'string',
      logFiles: [],
      newestEventTime: 'string',
      oldestEventTime: 'string',
      previousDigestHashAlgorithm: 'string',
      previousDigestHashValue: 'string',
      previousDigestS3Bucket: 'string',
      previousDigestS3Object: 'string',
      previousDigestSignature: 'string',
    },
    parser: 'json',
  },
  'cloudtrail:events': {
    schema: {
      additionalEventData: {},
      apiVersion: 'string',
      awsRegion: 'string',
      errorCode: 'string',
      errorMessage: 'string',
      eventID: 'string',
      eventName: 'string',
      eventSource: 'string',
      eventTime: 'string',
      eventType: 'string',
      eventVersion: 'string',
      managementEvent: 'boolean',
      readOnly: 'boolean',
      recipientAccountId: 'string',
      requestID: 'string',
      requestParameters: {},
      resources: [],
      responseElements: {},
      serviceEventDetails: {},
      sharedEventID: 'string',
      sourceIPAddress: 'string',
      userAgent: 'string',
      userIdentity: {},
      vpcEndpointId: 'string',
    },
    parser: 'json',
    configuration: {
      json_path: 'Records[*]',
      optional_top_level_keys: ['additionalEventData', 'apiVersion', 'errorCode', 'errorMessage', 'managementEvent', 'requestID', 'readOnly', 'resources', 'serviceEventDetails', 'sharedEventID', 'vpcEndpointId'],
    },
  },
};

describe('loading schema files', () => {
  it("loads StreamAlert's own CloudTrail schema file unchanged", () => {
    const { schemas, problems } = loadSchemas(schemaFolder({ 'cloudtrail.json': STREAMALERT_CLOUDTRAIL }));
    expect(problems).toEqual([]);
    expect(schemas.map((schema) => schema.name)).toEqual(['cloudtrail:digest', 'cloudtrail:events']);
    const events = schemas[1]!;
    expect(events.source).toBe('cloudtrail');
    expect(events.file).toBe('conf/schemas/cloudtrail.json');
    expect(events.jsonPath?.expression).toBe('Records[*]');
    expect(events.fields.byName.get('userIdentity')).toEqual({ type: { kind: 'object' }, optional: false });
    expect(events.fields.byName.get('errorCode')?.optional).toBe(true);
    expect(events.fields.requiredCount).toBe(24 - 11);
  });

  it('reads the files in name order and has no schemas without the folder', () => {
    const dir = schemaFolder({ 'b.json': { 'b:log': { parser: 'json', schema: { x: 'string' } } }, 'a.json': { 'a:log': { parser: 'json', schema: { y: 'string' } } } });
    expect(loadSchemas(dir).schemas.map((schema) => schema.name)).toEqual(['a:log', 'b:log']);
    const empty = mkdtempSync(join(tmpdir(), 'streamalert-empty-'));
    dirs.push(empty);
    expect(loadSchemas(empty)).toEqual({ schemas: [], problems: [] });
  });

  it("orders by priority as StreamAlert's SchemaSorter: a schema without one takes the highest priority declared before it", () => {
    const x = { x: 'string' };
    const dir = schemaFolder({
      'a.json': {
        'a:none-first': { parser: 'json', schema: x },
        'a:five': { parser: 'json', schema: x, configuration: { priority: 5 } },
        'a:none-after-five': { parser: 'json', schema: x },
        'a:one': { parser: 'json', schema: x, configuration: { priority: '1' } },
      },
      'b.json': { 'b:zero': { parser: 'json', schema: x, configuration: { priority: 0 } }, 'b:unset': { parser: 'json', schema: x, configuration: { priority: -1 } } },
    });
    // Keys: -1, 5, 5, 1, 0, 5 (-1 means unset, so the highest so far).
    expect(loadSchemas(dir).schemas.map((schema) => schema.name)).toEqual(['a:none-first', 'b:zero', 'a:one', 'a:five', 'a:none-after-five', 'b:unset']);
  });

  it('refuses a priority that is not a whole number', () => {
    const { problems } = loadSchemas(schemaFolder({ 'p.json': { 'p:q': { parser: 'json', schema: { x: 'string' }, configuration: { priority: 'first' } } } }));
    expect(problems[0]!.message).toBe('conf/schemas/p.json: p:q: configuration.priority must be a whole number, 0 tried first (got "first")');
  });

  it('compiles nested schemas level by level', () => {
    const [schema] = parseSchemaFile({ 'osquery:x': { parser: 'json', schema: { columns: { pid: 'integer', meta: { host: 'string' } } } } }, 'f.json');
    const columns = schema!.fields.byName.get('columns')!.type;
    expect(columns.kind).toBe('nested');
    if (columns.kind !== 'nested') return;
    expect(columns.fields.byName.get('pid')!.type).toEqual({ kind: 'integer' });
    expect(columns.fields.byName.get('meta')!.type.kind).toBe('nested');
  });
});

describe('schema problems name the file, the log type and the key, and disable only that log type', () => {
  const cases: Array<[string, string | object, RegExp]> = [
    ['a file that is not JSON', '{"duo:auth": ', /conf\/schemas\/bad\.json is not valid JSON/],
    ['a file that is not an object', '[1]', /conf\/schemas\/bad\.json: expected an object of log types/],
    ['an unknown type', { 'duo:auth': { parser: 'json', schema: { timestamp: 'int' } } }, /conf\/schemas\/bad\.json: duo:auth: schema\.timestamp: unknown type 'int'/],
    ['an unknown nested type', { 'gh:audit': { parser: 'json', schema: { data: { org: { id: 'long' } } } } }, /gh:audit: schema\.data\.org\.id: unknown type 'long'/],
    ['a number as a type', { 'x:y': { parser: 'json', schema: { n: 5 } } }, /x:y: schema\.n: unknown type 5/],
    ['a missing parser', { 'x:y': { schema: { a: 'string' } } }, /x:y: missing "parser" \(one of json, csv, kv, syslog\)/],
    ['a parser StreamAlert does not have', { 'x:y': { parser: 'xml', schema: { a: 'string' } } }, /x:y: parser 'xml' is not one of StreamAlert's parsers \(json, csv, kv, syslog\)/],
    ['a csv delimiter of two characters', { 'x:y': { parser: 'csv', schema: { a: 'string' }, configuration: { delimiter: '||' } } }, /x:y: configuration\.delimiter must be one character, e\.g\. ","/],
    ['a csv quotechar that is the delimiter', { 'x:y': { parser: 'csv', schema: { a: 'string' }, configuration: { quotechar: ',' } } }, /x:y: configuration\.delimiter, quotechar and escapechar must be different characters/],
    ['an empty kv separator', { 'x:y': { parser: 'kv', schema: { a: 'string' }, configuration: { separator: '' } } }, /x:y: configuration\.separator must be text, e\.g\. "="/],
    ['a missing schema', { 'x:y': { parser: 'json' } }, /x:y: "schema" must be an object/],
    ['an unknown entry key', { 'x:y': { parser: 'json', schema: {}, config: {} } }, /x:y: unknown key 'config'/],
    ['an unknown configuration key', { 'x:y': { parser: 'json', schema: { a: 'string' }, configuration: { optional_top_level_key: ['a'] } } }, /x:y: configuration\.optional_top_level_key is not a known setting/],
    ['an optional key not in the schema', { 'x:y': { parser: 'json', schema: { a: 'string' }, configuration: { optional_top_level_keys: ['b'] } } }, /x:y: schema: optional key 'b' is not declared in the schema/],
    ['an unsupported json_path', { 'x:y': { parser: 'json', schema: { a: 'string' }, configuration: { json_path: 'Records[?x > `1`]' } } }, /x:y: configuration\.json_path 'Records\[\?x > `1`\]' is not supported/],
    ['embedded_json that is not a boolean', { 'x:y': { parser: 'json', schema: { a: 'string' }, configuration: { embedded_json: 'yes' } } }, /x:y: configuration\.embedded_json must be true or false/],
    ['malformed log_patterns', { 'x:y': { parser: 'json', schema: { a: 'string' }, configuration: { log_patterns: { a: 5 } } } }, /x:y: configuration\.log_patterns: a: expected a pattern or a list of patterns/],
    ['a bad envelope type', { 'x:y': { parser: 'json', schema: { a: 'string' }, configuration: { envelope_keys: { owner: 'text' } } } }, /x:y: configuration\.envelope_keys\.owner: unknown type 'text'/],
  ];

  it.each(cases)('%s', (_name, content, message) => {
    const dir = schemaFolder({ 'bad.json': content, 'good.json': { 'good:log': { parser: 'json', schema: { a: 'string' } } } });
    const { schemas, problems } = loadSchemas(dir);
    expect(schemas.map((schema) => schema.name)).toEqual(['good:log']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'log-type', file: 'conf/schemas/bad.json' });
    expect(problems[0]!.message).toMatch(message);
  });

  it("a bad csv setting disables that log type only; the file's others load", () => {
    const dir = schemaFolder({ 'mixed.json': { 'app:csv': { parser: 'csv', schema: { a: 'string' }, configuration: { escapechar: '' } }, 'app:json': { parser: 'json', schema: { a: 'string' } } } });
    const { schemas, problems } = loadSchemas(dir);
    expect(schemas.map((schema) => schema.name)).toEqual(['app:json']);
    expect(problems).toEqual([
      {
        kind: 'log-type',
        file: 'conf/schemas/mixed.json',
        name: 'app:csv',
        message: 'conf/schemas/mixed.json: app:csv: configuration.escapechar must be one character, e.g. "\\" (got "")',
        disables: 'log type app:csv',
      },
    ]);
  });

  it('a file that is not JSON disables every log type in it', () => {
    const { problems } = loadSchemas(schemaFolder({ 'bad.json': '{"duo:auth": ' }));
    expect(problems[0]).toMatchObject({ kind: 'log-type', file: 'conf/schemas/bad.json', disables: 'every log type in conf/schemas/bad.json' });
    expect(problems[0]!.name).toBeUndefined();
  });

  it('a log type declared in two files names both, and the first declaration is used', () => {
    const entry = { parser: 'json', schema: { a: 'string' } };
    const dir = schemaFolder({ 'one.json': { 'duo:authentication': entry }, 'two.json': { 'duo:authentication': entry } });
    const { schemas, problems } = loadSchemas(dir);
    expect(schemas.map((schema) => schema.file)).toEqual(['conf/schemas/one.json']);
    expect(problems.map((problem) => problem.message)).toEqual(["conf/schemas/two.json: log type 'duo:authentication' is already declared in conf/schemas/one.json; keep one"]);
  });

  it('parseSchemaFile, for one file, throws the first problem as a SchemaError', () => {
    const thrown = captureError(() => parseSchemaFile({ 'x:y': { parser: 'xml', schema: {} } }, 'conf/schemas/x.json'));
    expect(thrown).toBeInstanceOf(SchemaError);
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toContain("conf/schemas/x.json: x:y: parser 'xml' is not one of StreamAlert's parsers");
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
