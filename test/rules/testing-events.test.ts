import { describe, expect, it } from 'vitest';
import { DUO_LOG, duoEvent, IMPORT, runProject } from './testing-support.ts';

// Test events as StreamAlert's `manage.py test` reads them (streamalert_cli/test/event.py),
// written here in its format.

const CLOUDWATCH_ROOT = {
  'rules/cw_root.ts':
    IMPORT +
    "export const cw_root = rule({ logs: ['cloudwatch:cloudtrail'], outputs: ['slack:sec-alerts'] }, (rec) => rec.userIdentity.type === 'Root' && rec['streamalert:envelope_keys'].owner === '123456789012');\n",
};
const ROOT_MESSAGE = JSON.stringify({ eventName: 'ConsoleLogin', userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } });
const cloudwatchEvent = (fields: Record<string, unknown>) => ({ description: 'cloudwatch', log: 'cloudwatch:cloudtrail', service: 'kinesis', source: 'prefix_cluster1_streamalert', trigger_rules: [], ...fields });

describe('override_record, merged as StreamAlert merges it', () => {
  it("with an envelope: the envelope keys' defaults, then the override, which gives the records itself", async () => {
    const report = await runProject({
      ...CLOUDWATCH_ROOT,
      'rules/cw_root.json': [
        cloudwatchEvent({ override_record: { owner: '123456789012', logEvents: [{ id: '1', message: ROOT_MESSAGE }] }, description: 'owner and records given', trigger_rules: ['cw_root'] }),
        cloudwatchEvent({ override_record: { logEvents: [{ id: '1', message: ROOT_MESSAGE }] }, description: 'owner left to its default, empty' }),
        // As in StreamAlert, the override is the payload, not one record: without logEvents, nothing classifies.
        cloudwatchEvent({ override_record: { userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } }, description: 'a record given as the override' }),
      ],
    });
    expect(report.malformed).toEqual([]);
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.classifiedAs, outcome.firedRules])).toEqual([
      [true, ['cloudwatch:cloudtrail'], ['cw_root']],
      [true, ['cloudwatch:cloudtrail'], []],
      [false, [], []],
    ]);
  });

  it('without an envelope: every schema key gets its default (a nested object an empty one), one level deep', async () => {
    const report = await runProject({
      'rules/duo_fraud.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'FRAUD' && rec.timestamp === 0 && rec.factor === '');\n",
      'rules/duo_fraud.json': [
        duoEvent({ override_record: { result: 'FRAUD', access_device: { ip: '198.51.100.77', os: 'Mac OS X' } }, description: 'defaults for the rest', trigger_rules: ['duo_fraud'] }),
        // StreamAlert's default for a nested schema is {}, which lacks its keys: the event does not classify.
        duoEvent({ override_record: { result: 'FRAUD' }, description: 'nested object left to its default' }),
      ],
    });
    expect(report.outcomes.map((outcome) => outcome.passed)).toEqual([true, false]);
    expect(report.outcomes[1]!.unclassified[0]).toContain('access_device');
  });

  it('for a json_path log with no envelope, an override without the path places the record there; one with it is the payload', async () => {
    const report = await runProject({
      'rules/ct.ts': IMPORT + "export const ct_read = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'] }, (rec) => rec.eventName === 'GetObject' && rec.readOnly === false && Array.isArray(rec.resources));\n",
      'rules/ct.json': [
        { override_record: { eventName: 'GetObject' }, description: 'one record', log: 'cloudtrail:events', service: 's3', source: 'trail-bucket', trigger_rules: ['ct_read'] },
        {
          override_record: { Records: [{ eventName: 'GetObject', eventSource: 's3.amazonaws.com', readOnly: false, requestParameters: {}, resources: [], userIdentity: {} }] },
          description: 'the whole file, as StreamAlert takes it',
          log: 'cloudtrail:events',
          service: 's3',
          source: 'trail-bucket',
          trigger_rules: [],
        },
      ],
    });
    expect(report.malformed).toEqual([]);
    // The second: StreamAlert's payload is the schema's defaults beside Records, and only Records[*] is classified.
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.classifiedAs, outcome.firedRules])).toEqual([
      [true, ['cloudtrail:events'], ['ct_read']],
      [false, ['cloudtrail:events'], ['ct_read']],
    ]);
  });

  it('for a json_regex_key log, the record goes in that key as JSON text', async () => {
    const report = await runProject({
      'rules/osq.ts': IMPORT + "export const osq = rule({ logs: ['osquery:snapshot'], outputs: ['slack:sec-alerts'] }, (rec) => rec.name === 'pack_incident');\n",
      'rules/osq.json': [{ override_record: { name: 'pack_incident' }, description: 'regex key', log: 'osquery:snapshot', service: 'kinesis', source: 'osquery_stream', trigger_rules: ['osq'] }],
    });
    expect(report.outcomes[0]).toMatchObject({ passed: true, firedRules: ['osq'] });
  });

  it("given with data, override_record wins with a warning, as StreamAlert replaces data", async () => {
    const report = await runProject({
      'rules/duo_fraud.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'FRAUD');\n",
      'rules/duo_fraud.json': [duoEvent({ data: { ...DUO_LOG, result: 'SUCCESS' }, override_record: DUO_LOG, trigger_rules: ['duo_fraud'] })],
    });
    expect(report.outcomes[0]!.passed).toBe(true);
    expect(report.warnings).toEqual(["rules/duo_fraud.json, event #1 (index 0): has both 'data' and 'override_record': the record is built from override_record and data is ignored, as StreamAlert does"]);
  });
});

describe('data, helpers, compress, classify_only, service and source', () => {
  const FRAUD = { 'rules/duo_fraud.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'FRAUD');\n" };

  it('takes data as an object or as text: JSON text is parsed, other text goes to the classifier as a raw line', async () => {
    const report = await runProject({
      ...FRAUD,
      'rules/duo_fraud.json': [
        duoEvent({ data: DUO_LOG, description: 'object', trigger_rules: ['duo_fraud'] }),
        duoEvent({ data: JSON.stringify(DUO_LOG), description: 'JSON text', trigger_rules: ['duo_fraud'] }),
        duoEvent({ data: 'result=FRAUD factor=duo_push', description: 'a raw kv line, which no json schema takes' }),
      ],
    });
    expect(report.malformed).toEqual([]);
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.firedRules])).toEqual([
      [true, ['duo_fraud']],
      [true, ['duo_fraud']],
      [false, []],
    ]);
    expect(report.outcomes[2]!.unclassified).toHaveLength(1);
  });

  it('refuses empty data, a list, or a number, and says what it takes', async () => {
    const report = await runProject({
      ...FRAUD,
      'rules/duo_fraud.json': [duoEvent({ data: {} }), duoEvent({ data: '' }), duoEvent({ data: [DUO_LOG] }), duoEvent({ data: 5 }), duoEvent({ override_record: ['x'] })],
    });
    expect(report.outcomes).toEqual([]);
    expect(report.malformed.map((bad) => bad.problem)).toEqual([
      "needs 'data' (the record) or 'override_record' (the fields to set over the schema's defaults), not empty",
      "needs 'data' (the record) or 'override_record' (the fields to set over the schema's defaults), not empty",
      'data must be an object (the record) or text (JSON, or a raw csv, kv or syslog line), not a list',
      'data must be an object (the record) or text (JSON, or a raw csv, kv or syslog line), not 5',
      "override_record must be an object of the fields to set over the schema's defaults",
    ]);
  });

  it('replaces <helper:last_hour> in text values at any depth of objects, not inside lists; an unknown helper is malformed', async () => {
    const before = Math.floor(Date.now() / 1000) - 60;
    const report = await runProject({
      'rules/recent.ts':
        IMPORT +
        "export const recent = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.timestamp >= Date.now() / 1000 - 3600 && rec.access_device.os === 'seen at ' + rec.timestamp);\n",
      'rules/recent.json': [
        duoEvent({ data: { ...DUO_LOG, timestamp: '<helper:last_hour>', access_device: { ip: '198.51.100.77', os: 'seen at <helper:last_hour>' } }, trigger_rules: ['recent'] }),
        duoEvent({ override_record: { timestamp: '<helper:last_hour>', access_device: { ip: '1', os: 'x' } }, description: 'in override_record too', trigger_rules: [] }),
        duoEvent({ data: { ...DUO_LOG, timestamp: '<helper:yesterday>' } }),
      ],
    });
    const after = Math.floor(Date.now() / 1000) - 60;
    expect(report.outcomes.map((outcome) => outcome.passed)).toEqual([true, true]);
    const timestamp = Number((report.outcomes[1]!.event.payload as { timestamp: string }).timestamp);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(after);
    expect(report.malformed).toEqual([{ file: 'rules/recent.json', index: 2, problem: "unknown helper(s) '<helper:yesterday>' (known: <helper:last_hour>)" }]);
  });

  it('leaves a helper inside a list alone, as StreamAlert does', async () => {
    const report = await runProject({
      'rules/ct.ts': IMPORT + "export const ct = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'] }, (rec) => rec.resources[0] === '<helper:last_hour>');\n",
      'rules/ct.json': [{ override_record: { resources: ['<helper:last_hour>'] }, description: 'list', log: 'cloudtrail:events', service: 's3', source: 'b', trigger_rules: ['ct'] }],
    });
    expect(report.outcomes[0]).toMatchObject({ passed: true, firedRules: ['ct'] });
  });

  it('compress: the data goes through gzip and back and classifies the same', async () => {
    const report = await runProject({
      ...FRAUD,
      'rules/duo_fraud.json': [duoEvent({ data: DUO_LOG, compress: true, service: 'kinesis', trigger_rules: ['duo_fraud'] }), duoEvent({ data: DUO_LOG, compress: 'yes' })],
    });
    expect(report.outcomes.map((outcome) => outcome.passed)).toEqual([true]);
    expect(report.malformed[0]!.problem).toBe("'compress' must be true or false");
  });

  it('classify_only (and StreamAlert 2\'s validate_schema_only) checks classification only: rules do not run, trigger_rules is optional', async () => {
    const report = await runProject({
      'rules/throws.ts': IMPORT + "export const throws = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => { throw new Error('boom'); });\n",
      'rules/throws.json': [
        { data: DUO_LOG, description: 'classify only', log: 'duo:authentication', service: 'streamalert_app', source: 'duo_auth', classify_only: true },
        { data: DUO_LOG, description: 'validate schema only', log: 'duo:authentication', service: 'streamalert_app', source: 'duo_auth', validate_schema_only: true, trigger_rules: ['nonexistent'] },
        { data: { ...DUO_LOG, extra: 1 }, description: 'does not classify', log: 'duo:authentication', service: 'streamalert_app', source: 'duo_auth', classify_only: true },
      ],
    });
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.errors])).toEqual([
      [true, []],
      [true, []],
      [false, []],
    ]);
    expect(report.warnings).toEqual([]);
  });

  it("stamps the event's service and source on its alerts (source_service, source_entity) and refuses a service StreamAlert does not test", async () => {
    const report = await runProject({
      ...FRAUD,
      'rules/duo_fraud.json': [
        duoEvent({
          data: DUO_LOG,
          service: 'sns',
          source: 'duo-topic',
          trigger_rules: ['duo_fraud'],
          publisher_tests: { 'slack:sec-alerts': [['source_service', 'is', 'sns'], ['source_entity', 'is', 'duo-topic']] },
        }),
        duoEvent({ data: DUO_LOG, service: 'http' }),
        duoEvent({ data: DUO_LOG, source: 7 }),
      ],
    });
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.publisherTests])).toEqual([[true, { run: 2, passed: 2 }]]);
    expect(report.malformed.map((bad) => bad.problem)).toEqual(["service 'http' is not one test events take (kinesis, s3, sns, streamalert_app)", "'source' must be text"]);
  });
});
