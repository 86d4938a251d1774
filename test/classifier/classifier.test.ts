import { describe, expect, it } from 'vitest';
import { Classifier, selectSchemas } from '../../src/classifier/classifier.ts';
import { ENVELOPE_KEY } from '../../src/classifier/record.ts';
import { parseSchemaFile } from '../../src/classifier/schema.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { cloudtrailEvent, duoRecord } from '../support/rules-project.ts';

const CLOUDTRAIL = {
  'cloudtrail:events': {
    parser: 'json',
    schema: {
      additionalEventData: {},
      awsRegion: 'string',
      errorCode: 'string',
      eventID: 'string',
      eventName: 'string',
      eventSource: 'string',
      eventTime: 'string',
      eventType: 'string',
      eventVersion: 'string',
      managementEvent: 'boolean',
      recipientAccountId: 'string',
      requestParameters: {},
      resources: [],
      responseElements: {},
      sourceIPAddress: 'string',
      userAgent: 'string',
      userIdentity: {},
    },
    configuration: { json_path: 'Records[*]', optional_top_level_keys: ['additionalEventData', 'errorCode', 'managementEvent', 'resources'] },
  },
};
const DUO = {
  'duo:authentication': {
    parser: 'json',
    schema: { access_device: {}, factor: 'string', reason: 'string', result: 'string', timestamp: 'integer', user: {} },
  },
  'duo:administrator': { parser: 'json', schema: { action: 'string', description: 'string', object: 'string', timestamp: 'integer', username: 'string' } },
};
const GITHUB = {
  'github:audit': {
    parser: 'json',
    schema: { action: 'string', actor: 'string', actor_id: 'integer', created_at: 'integer', data: {}, user: 'string' },
    configuration: { optional_top_level_keys: ['data', 'user'] },
  },
};
const SCHEMAS = [...parseSchemaFile(CLOUDTRAIL, 'conf/schemas/cloudtrail.json'), ...parseSchemaFile(DUO, 'conf/schemas/duo.json'), ...parseSchemaFile(GITHUB, 'conf/schemas/github.json')];

function schemasOf(raw: object) {
  return parseSchemaFile(raw, 'conf/schemas/test.json');
}

describe('classifying realistic logs', () => {
  const classifier = new Classifier(SCHEMAS);

  it('unpacks a CloudTrail file with json_path Records[*] and fills absent optional keys with defaults', () => {
    const root = cloudtrailEvent();
    const iam = cloudtrailEvent({ eventName: 'DescribeInstances', userIdentity: { type: 'IAMUser' }, errorCode: 'AccessDenied', resources: [{ ARN: 'arn:aws:s3:::b' }] });
    const { classified, unclassified } = classifier.classify({ Records: [root, iam] });
    expect(unclassified).toEqual([]);
    expect(classified.map((item) => [item.schema.name, item.index])).toEqual([
      ['cloudtrail:events', 0],
      ['cloudtrail:events', 1],
    ]);
    expect(classified[0]!.record).toMatchObject({ eventName: 'ConsoleLogin', additionalEventData: {}, errorCode: '', managementEvent: false, resources: [] });
    expect(classified[1]!.record).toMatchObject({ errorCode: 'AccessDenied', resources: [{ ARN: 'arn:aws:s3:::b' }] });
  });

  it('classifies Duo and GitHub audit records by their keys', () => {
    expect(classifier.classify(duoRecord()).classified[0]!.schema.name).toBe('duo:authentication');
    const admin = { action: 'bypass_create', description: '{"valid_secs": null}', object: 'bob', timestamp: 1715688093, username: 'Carol' };
    expect(classifier.classify(admin).classified[0]!.schema.name).toBe('duo:administrator');
    const promote = { action: 'user.promote', actor: 'carol', actor_id: 1042, created_at: 1715690000123, user: 'mallory' };
    const result = classifier.classify(promote);
    expect(result.classified[0]!.schema.name).toBe('github:audit');
    expect(result.classified[0]!.record).toEqual({ ...promote, data: {} });
  });

  it('keeps the same objects: classification converts the record in place', () => {
    const record = duoRecord({ timestamp: '1715675412' });
    const { classified } = classifier.classify(record);
    expect(classified[0]!.record).toBe(record);
    expect(record.timestamp).toBe(1715675412);
  });

  it('reports a record that fits no schema with the closest schema and what differs', () => {
    const { classified, unclassified } = classifier.classify(duoRecord({ surprise: true }));
    expect(classified).toEqual([]);
    expect(unclassified).toHaveLength(1);
    expect(unclassified[0]!.reason).toBe("no schema fits; closest is duo:authentication: unexpected key 'surprise'");
  });

  it('names missing keys, and lists at most five of many', () => {
    const only = new Classifier(SCHEMAS, 'cloudtrail:events');
    const reason = only.classify({ Records: [{ eventName: 'x' }] }).unclassified[0]!.reason;
    expect(reason).toMatch(/^cloudtrail:events: missing keys 'awsRegion', 'eventID', 'eventSource', 'eventTime', 'eventType' and 7 more$/);
  });

  it('says when json_path finds nothing, and when the payload is not an object', () => {
    const only = new Classifier(SCHEMAS, 'cloudtrail');
    expect(only.classify({ Events: [] }).unclassified[0]!.reason).toBe("cloudtrail:events: json_path 'Records[*]' found no records");
    const duo = new Classifier(SCHEMAS, 'duo');
    expect(duo.classify('a line of text').unclassified[0]!.reason).toBe('expected a JSON object, got a string "a line of text"');
    expect(duo.classify([duoRecord()]).unclassified[0]!.reason).toBe('expected a JSON object, got a list');
  });

  it('reports each record of a file that does not fit, and classifies the others', () => {
    const bad = cloudtrailEvent({ resources: 'root' });
    const { classified, unclassified } = classifier.classify({ Records: [cloudtrailEvent(), bad, cloudtrailEvent()] });
    expect(classified.map((item) => item.index)).toEqual([0, 2]);
    expect(unclassified).toEqual([{ record: bad, index: 1, reason: 'cloudtrail:events: resources: expected a list, got a string "root"' }]);
  });
});

describe('selecting schemas with a log type', () => {
  it('takes an exact log type, or every subtype of a source prefix', () => {
    expect(selectSchemas(SCHEMAS, 'duo').map((schema) => schema.name)).toEqual(['duo:authentication', 'duo:administrator']);
    expect(selectSchemas(SCHEMAS, 'duo:administrator').map((schema) => schema.name)).toEqual(['duo:administrator']);
    expect(selectSchemas(SCHEMAS).length).toBe(4);
  });

  it('never classifies as a type outside the selection', () => {
    const duoOnly = new Classifier(SCHEMAS, 'duo');
    const promote = { action: 'user.promote', actor: 'carol', actor_id: 1, created_at: 2 };
    expect(duoOnly.classify(promote).classified).toEqual([]);
    expect(duoOnly.classify(promote).unclassified[0]!.reason).toMatch(/^no schema fits; closest is duo:/);
  });

  it('refuses a log type that matches no schema, naming the known ones', () => {
    expect(() => selectSchemas(SCHEMAS, 'okta')).toThrow(ConfigError);
    expect(() => selectSchemas(SCHEMAS, 'duo:auth')).toThrow(/log type 'duo:auth' matches no schema in conf\/schemas \(known log types: cloudtrail:events, duo:authentication, duo:administrator, github:audit\)/);
    expect(() => new Classifier([])).toThrow(/no log schemas in conf\/schemas/);
  });
});

describe("type coercion, as StreamAlert's parsers", () => {
  const typed = new Classifier(
    schemasOf({ 't:all': { parser: 'json', schema: { s: 'string', i: 'integer', f: 'float', b: 'boolean', o: {}, l: [], n: { inner: 'integer' } } } }),
  );
  const base = { s: 'text', i: 1, f: 1.5, b: true, o: {}, l: [], n: { inner: 1 } };
  const fit = (fields: Record<string, unknown>) => typed.classify({ ...base, ...fields });

  it.each([
    ['integer text', { i: '5' }, { i: 5 }],
    ['a fractional number as an integer (truncated)', { i: 5.9 }, { i: 5 }],
    ['negative integer text with spaces', { i: ' -42 ' }, { i: -42 }],
    ['true as an integer', { i: true }, { i: 1 }],
    ['float text', { f: '2.25' }, { f: 2.25 }],
    ['exponent text as a float', { f: '1e3' }, { f: 1000 }],
    ['an integer as a float', { f: 3 }, { f: 3 }],
    ['"True" as a boolean', { b: 'True' }, { b: true }],
    ['"false" as a boolean', { b: 'false' }, { b: false }],
    ['any other text as a boolean is false', { b: 'yes' }, { b: false }],
    ['a number as a string', { s: 12 }, { s: '12' }],
    ["an object as a string, as Python's str() writes it", { s: { a: 1, ok: true, none: null } }, { s: "{'a': 1, 'ok': True, 'none': None}" }],
    ["true as a string, as Python's str() writes it", { s: true }, { s: 'True' }],
    ['a list for {} (StreamAlert lets any value through {})', { o: [1] }, { o: [1] }],
    ['text for {}, unconverted', { o: 'x' }, { o: 'x' }],
    ['nested integer text', { n: { inner: '7' } }, { n: { inner: 7 } }],
  ])('converts %s', (_name, fields, expected) => {
    const result = fit(fields);
    expect(result.unclassified).toEqual([]);
    expect(result.classified[0]!.record).toMatchObject(expected);
  });

  it.each([
    ['null', { i: null, f: null, s: null, o: null, l: null }],
    ['empty text', { i: '', f: '', b: '' }],
    ['zero and false', { s: 0, b: false, f: 0 }],
    ['an empty list for an object and an empty object for a list', { o: [], l: {} }],
  ])('leaves empty values (%s) as they are, for any type', (_name, fields) => {
    const result = fit(fields);
    expect(result.unclassified).toEqual([]);
    expect(result.classified[0]!.record).toMatchObject(fields);
  });

  it.each([
    ['text that is not an integer', { i: 'abc' }, 'i: expected an integer, got a string "abc"'],
    ['decimal text as an integer', { i: '5.5' }, 'i: expected an integer, got a string "5.5"'],
    ['an object as an integer', { i: { v: 1 } }, 'i: expected an integer, got an object'],
    ['text that is not a float', { f: 'fast' }, 'f: expected a float, got a string "fast"'],
    ['text for []', { l: 'x' }, 'l: expected a list, got a string "x"'],
    ['null for a nested schema', { n: null }, 'n: expected an object, got null'],
    ['an extra nested key', { n: { inner: 1, outer: 2 } }, "n: unexpected key 'outer'"],
    ['a missing nested key', { n: {} }, "n: missing key 'inner'"],
  ])('rejects %s, saying why', (_name, fields, reason) => {
    const result = fit(fields);
    expect(result.classified).toEqual([]);
    expect(result.unclassified[0]!.reason).toBe(`t:all: ${reason}`);
  });

  it('converts nothing when the record does not fit in the end', () => {
    const record = { ...base, i: '5', f: 'not a float' };
    fit({});
    typed.classify(record);
    expect(record.i).toBe('5');
  });
});

describe('envelopes, embedded JSON and log patterns', () => {
  // A CloudWatch Logs subscription payload: the CloudTrail events are JSON text in logEvents[*].message.
  const cloudwatch = schemasOf({
    'cloudwatch:cloudtrail': {
      parser: 'json',
      schema: { eventName: 'string', eventSource: 'string', userIdentity: {} },
      configuration: {
        json_path: 'logEvents[*].message',
        embedded_json: true,
        envelope_keys: { logGroup: 'string', logStream: 'string', owner: 'string', subscriptionFilters: [] },
      },
    },
    'cloudwatch:control_message': {
      parser: 'json',
      schema: { id: 'string', message: 'string', timestamp: 'integer' },
      configuration: {
        json_path: 'logEvents[*]',
        envelope_keys: { messageType: 'string', owner: 'string' },
        log_patterns: { 'streamalert:envelope_keys': { messageType: ['CONTROL_MESSAGE'] } },
      },
    },
  });
  const subscription = (messages: unknown[], messageType = 'DATA_MESSAGE') => ({
    messageType,
    owner: 123456789012,
    logGroup: 'CloudTrail/logs',
    logStream: '123456789012_CloudTrail_us-east-1',
    subscriptionFilters: ['to-streamalert'],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1715675412000 + i, message })),
  });

  it('extracts embedded JSON records and attaches the converted envelope to each', () => {
    const event = { eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', userIdentity: { type: 'Root' } };
    const { classified, unclassified } = new Classifier(cloudwatch).classify(subscription([JSON.stringify(event), 'not json']));
    expect(classified).toHaveLength(1);
    expect(classified[0]!.schema.name).toBe('cloudwatch:cloudtrail');
    expect(classified[0]!.record).toEqual({
      ...event,
      [ENVELOPE_KEY]: { logGroup: 'CloudTrail/logs', logStream: '123456789012_CloudTrail_us-east-1', owner: '123456789012', subscriptionFilters: ['to-streamalert'] },
    });
    expect(unclassified).toHaveLength(1);
    expect(unclassified[0]!.index).toBe(1);
    expect(unclassified[0]!.reason).toMatch(/^cloudwatch:cloudtrail: embedded JSON is not valid/);
  });

  it('rejects embedded JSON nested deeper than 64 levels with the reason, and classifies the other records', () => {
    const event = { eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', userIdentity: { type: 'Root' } };
    // userIdentity is `{}`: any object fits, so without the bound this record would go on to the rules and outputs.
    const deep = `{"eventName":"x","eventSource":"y","userIdentity":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const payload = subscription([JSON.stringify(event), deep, JSON.stringify(event)]);
    const { classified, unclassified } = new Classifier(cloudwatch, 'cloudwatch:cloudtrail').classify(payload);
    expect(classified.map((record) => record.index)).toEqual([0, 2]);
    expect(unclassified).toEqual([{ record: deep, index: 1, reason: 'cloudwatch:cloudtrail: embedded JSON nests objects or lists deeper than 64 levels' }]);
  });

  it('uses log_patterns on the envelope to tell control messages apart', () => {
    const classifier = new Classifier(cloudwatch, 'cloudwatch:control_message');
    const control = classifier.classify(subscription(['CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.'], 'CONTROL_MESSAGE'));
    expect(control.classified).toHaveLength(1);
    const data = classifier.classify(subscription(['x'], 'DATA_MESSAGE'));
    expect(data.classified).toEqual([]);
    expect(data.unclassified[0]!.reason).toBe("cloudwatch:control_message: log_patterns: streamalert:envelope_keys.messageType 'DATA_MESSAGE' matches none of CONTROL_MESSAGE");
  });

  it('requires the envelope keys but allows other keys beside them', () => {
    const payload = subscription([JSON.stringify({ eventName: 'x', eventSource: 'y', userIdentity: {} })]);
    delete (payload as Record<string, unknown>).logStream;
    const result = new Classifier(cloudwatch, 'cloudwatch:cloudtrail').classify(payload);
    expect(result.unclassified[0]!.reason).toBe("cloudwatch:cloudtrail: envelope: missing key 'logStream'");
  });

  it('parses the JSON blob inside a json_regex_key field (syslog-wrapped GitHub audit events)', () => {
    const schemas = schemasOf({
      'ghe:general': {
        parser: 'json',
        schema: { action: 'string', actor: 'string', user: 'string' },
        configuration: { json_regex_key: 'message', envelope_keys: { host: 'string', program: 'string' } },
      },
    });
    const payload = {
      host: '10.1.1.1',
      program: 'github_audit',
      port: 514,
      message: '<190>May 22 12:05:54 ghe github_audit: {"action":"user.promote","actor":"bob","user":"sally"}',
    };
    const { classified } = new Classifier(schemas).classify(payload);
    expect(classified[0]!.record).toEqual({ action: 'user.promote', actor: 'bob', user: 'sally', [ENVELOPE_KEY]: { host: '10.1.1.1', program: 'github_audit' } });
  });

  it('matches log_patterns with shell wildcards on a record field', () => {
    const schemas = schemasOf({
      'app:bad': { parser: 'json', schema: { type: 'string', message: 'string' }, configuration: { log_patterns: { type: ['*bad.log.type*', 'x?z'] } } },
    });
    const classifier = new Classifier(schemas);
    expect(classifier.classify({ type: 'a.bad.log.type.value', message: 'm' }).classified).toHaveLength(1);
    expect(classifier.classify({ type: 'xyz', message: 'm' }).classified).toHaveLength(1);
    expect(classifier.classify({ type: 'good.log.type', message: 'm' }).classified).toHaveLength(0);
  });
});
