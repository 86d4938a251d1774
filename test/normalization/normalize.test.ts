import { describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/classifier/schema.ts';
import { loadNormalization, normalizationOf } from '../../src/normalization/config.ts';
import { attachNormalization, fetchValuesByDatatype, type NormalizedRecord } from '../../src/normalization/record.ts';
import { tempProject } from '../support/rules-project.ts';

// Schemas in StreamAlert's formats: v2 `configuration.normalization` (as its conf/schemas/cloudwatch.json
// declares it) and v1 conf/normalized_types.json by log source.
const CLOUDWATCH = {
  'cloudwatch:events': {
    parser: 'json',
    schema: { account: 'string', detail: {}, 'detail-type': 'string', id: 'string', region: 'string', resources: [], source: 'string', time: 'string', version: 'string' },
    configuration: {
      normalization: {
        event_name: ['detail', 'eventName'],
        account: [
          { path: ['account'], function: 'Destination account ID' },
          { path: ['detail', 'userIdentity', 'principalId'], function: 'Source account ID' },
        ],
        ip_address: [{ path: ['detail', 'sourceIPAddress'], function: 'Source IP addresses' }],
        user_identity: [
          { path: ['detail', 'userIdentity', 'type'], function: 'User identity type', send_to_artifacts: false },
          { path: ['detail', 'userIdentity', 'userName'], function: 'User identity username', condition: { path: ['account'], in: ['111111111111', '222222222222'] } },
        ],
        resource: [{ path: ['resources'], function: 'Resources' }],
        error: [{ path: ['detail', 'errorCode'], function: 'Error code' }],
      },
    },
  },
};
const OSQUERY = {
  'osquery:differential': {
    parser: 'json',
    schema: { action: 'string', columns: {}, hostIdentifier: 'string', name: 'string', unixTime: 'integer' },
  },
};
const NORMALIZED_TYPES = {
  osquery: { sourceAddress: ['host', 'address'], userName: ['username', 'user'], sourcePort: ['port'] },
  cloudwatch: { region: ['region', 'awsRegion'] },
};

function cloudwatchEvent(detail: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) {
  return {
    account: '111111111111',
    detail: { eventName: 'CreateUser', sourceIPAddress: '198.51.100.23', userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', userName: 'alice' }, awsRegion: 'us-west-2', errorCode: '', ...detail },
    'detail-type': 'AWS API Call via CloudTrail',
    id: 'b1c2',
    region: 'us-east-1',
    resources: ['arn:aws:iam::111111111111:user/bob'],
    source: 'aws.iam',
    time: '2024-05-14T09:12:44Z',
    version: '0',
    ...fields,
  };
}

function project(files: Record<string, object> = {}) {
  const dir = tempProject({ 'conf/schemas/cloudwatch.json': CLOUDWATCH, 'conf/schemas/osquery.json': OSQUERY, 'conf/normalized_types.json': NORMALIZED_TYPES, ...files });
  const { schemas } = loadSchemas(dir);
  const load = loadNormalization(dir, schemas);
  const normalize = (logType: string, record: Record<string, unknown>) => {
    attachNormalization(record, normalizationOf(schemas.find((schema) => schema.name === logType)!));
    return record as Record<string, unknown> & NormalizedRecord;
  };
  return { load, normalize };
}

describe('normalization as StreamAlert computes it', () => {
  it('v2: a path of keys or entries with function, condition and send_to_artifacts, under streamalert_normalization', () => {
    const { load, normalize } = project();
    expect(load.problems).toEqual([]);
    const record = normalize('cloudwatch:events', cloudwatchEvent());
    expect(record['streamalert_normalization']).toEqual({
      event_name: [{ values: ['CreateUser'], function: null }],
      account: [
        { values: ['111111111111'], function: 'Destination account ID' },
        { values: ['AIDAEXAMPLE'], function: 'Source account ID' },
      ],
      ip_address: [{ values: ['198.51.100.23'], function: 'Source IP addresses' }],
      user_identity: [
        { values: ['IAMUser'], function: 'User identity type', send_to_artifacts: false },
        { values: ['alice'], function: 'User identity username' },
      ],
      // A list is kept as it is; an empty value (errorCode '') is not found; v1 types of the log source join in.
      resource: [{ values: ['arn:aws:iam::111111111111:user/bob'], function: 'Resources' }],
      region: [{ values: ['us-east-1', 'us-west-2'], function: null }],
    });
  });

  it('v2 conditions compare the value as lower-case text, and skip the normalizer when it fails', () => {
    const { normalize } = project();
    const other = normalize('cloudwatch:events', cloudwatchEvent({}, { account: '333333333333' }));
    expect(other.normalized('user_identity')).toEqual(['IAMUser']);
  });

  it('v1: every value under the named keys at any nested depth, lists expanded, empty ones dropped, each once, ordered', () => {
    const { normalize } = project();
    const record = normalize('osquery:differential', {
      action: 'added',
      columns: { address: '10.0.0.2', host: '10.0.0.1', nested: { host: '10.0.0.1', user: ['root', 'alice'] }, port: 22, username: '' },
      hostIdentifier: 'web-1',
      name: 'pack_last',
      unixTime: 1715675412,
    });
    expect(record.normalized('sourceAddress')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(record.normalized('userName')).toEqual(['alice', 'root']);
    expect(record.normalized('sourcePort')).toEqual([22]);
    expect(record.normalized('command')).toEqual([]);
  });

  it('keeps the record as classified: the normalization and normalized() are not fields of its JSON', () => {
    const { normalize } = project();
    const event = cloudwatchEvent();
    const record = normalize('cloudwatch:events', structuredClone(event));
    expect(JSON.parse(JSON.stringify(record))).toEqual(event);
    expect(Object.keys(record)).toEqual(Object.keys(event));
  });

  it('fetchValuesByDatatype reads records and plain objects in StreamAlert 3.3 and 3.0 shapes', () => {
    const { normalize } = project();
    const record = normalize('cloudwatch:events', cloudwatchEvent());
    expect(fetchValuesByDatatype(record, 'account')).toEqual(['111111111111', 'AIDAEXAMPLE']);
    expect(fetchValuesByDatatype({ 'streamalert_normalization': { sourceAddress: ['1.2.3.4', '1.2.3.4'] } }, 'sourceAddress')).toEqual(['1.2.3.4']);
    expect(fetchValuesByDatatype({ 'streamalert_normalization': { command: [{ values: ['ls'], function: 'x' }] } }, 'command')).toEqual(['ls']);
    expect(fetchValuesByDatatype({}, 'command')).toEqual([]);
  });

  it('leaves a field of the record named normalized alone', () => {
    const { normalize } = project();
    const record = normalize('cloudwatch:events', cloudwatchEvent({}, { normalized: 'yes' })) as Record<string, unknown>;
    expect(record.normalized).toBe('yes');
    expect(fetchValuesByDatatype(record, 'event_name')).toEqual(['CreateUser']);
  });

  it('reports a bad declaration naming file, log type and normalized type, and disables only that type', () => {
    const bad = structuredClone(CLOUDWATCH) as { 'cloudwatch:events': { configuration: { normalization: Record<string, unknown> } } };
    const normalization = bad['cloudwatch:events'].configuration.normalization;
    normalization.ip_address = [{ path: ['detail', 'sourceIPAddress'], fuction: 'typo' }];
    normalization.user_identity = [{ path: ['account'], condition: { path: ['account'], is: 'a', in: ['b'] } }];
    normalization.event_name = 'detail.eventName';
    const { load, normalize } = project({ 'conf/schemas/cloudwatch.json': bad, 'conf/normalized_types.json': { osquery: { sourceAddress: 'host' } } });
    expect(load.problems.map((problem) => problem.message)).toEqual([
      "conf/normalized_types.json: 'osquery'.'sourceAddress' must be a non-empty list of key names, e.g. [\"sourceIPAddress\"]",
      expect.stringContaining("conf/schemas/cloudwatch.json: log type cloudwatch:events: normalization 'event_name' must be a list"),
      expect.stringContaining("normalization 'ip_address' entry 1: unknown key 'fuction' (keys: path, function, condition, send_to_artifacts)"),
      expect.stringContaining("normalization 'user_identity' entry 1: condition needs exactly one of is, is_not, in, not_in, contains, not_contains (has is, in)"),
    ]);
    expect(load.problems.every((problem) => problem.kind === 'log-type')).toBe(true);
    expect(load.problems[2]!.disables).toBe('normalized type ip_address of log type cloudwatch:events');
    const record = normalize('cloudwatch:events', cloudwatchEvent());
    expect(record.normalized('account')).toEqual(['111111111111', 'AIDAEXAMPLE']);
    expect(record.normalized('ip_address')).toEqual([]);
    expect(load.declared.get('cloudwatch:events')).toEqual(new Set(['account', 'resource', 'error']));
  });

  it('a conf/normalized_types.json that is not JSON is one problem; the schemas still normalize', () => {
    const dir = tempProject({ 'conf/schemas/cloudwatch.json': CLOUDWATCH, 'conf/normalized_types.json': '{ oops' });
    const { schemas } = loadSchemas(dir);
    const { problems, declared } = loadNormalization(dir, schemas);
    expect(problems).toMatchObject([{ kind: 'log-type', file: 'conf/normalized_types.json', disables: 'every normalized type in conf/normalized_types.json' }]);
    expect(declared.get('cloudwatch:events')?.has('ip_address')).toBe(true);
  });
});
