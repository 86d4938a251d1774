import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import { readRecords } from '../../src/input/reader.ts';
import { describeEvent, type PipelineEvent } from '../../src/pipeline/events.ts';
import { Pipeline, processRecords } from '../../src/pipeline/pipeline.ts';
import { cloudtrailEvent, duoRecord, OUTPUTS, REPO_ROOT, SCHEMAS, tempProject } from '../support/rules-project.ts';

const IMPORT = "import { rule } from 'streamalert';\n";

/** A pipeline over a temporary project with the shared schemas and outputs, collecting its events. */
async function pipelineWith(rules: Record<string, string>, options: { logType?: string } = {}) {
  const events: PipelineEvent[] = [];
  const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...rules });
  const pipeline = await Pipeline.load(loadProject(dir), { ...options, onEvent: (event) => events.push(event), source: { service: 'file', entity: 'events.ndjson' } });
  expect(pipeline.problems).toEqual([]);
  return { pipeline, events };
}

describe('running rules on classified records', () => {
  it('raises an alert with the rule, record, outputs, severity and where the record came from', async () => {
    const { pipeline } = await pipelineWith({
      'rules/duo.ts':
        IMPORT +
        "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], description: 'Duo fraud', severity: 'warning' }, (rec) => rec.result === 'fraud');\n" +
        "export const duo_denied = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'denied');\n",
    });
    const record = duoRecord();
    const [alert, ...others] = pipeline.process(record);
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      ruleName: 'duo_fraud',
      ruleDescription: 'Duo fraud',
      severity: 'warning',
      record,
      outputs: ['slack:sec-alerts'],
      logSource: 'duo:authentication',
      logType: 'json',
      sourceService: 'file',
      sourceEntity: 'events.ndjson',
      publishers: {},
    });
    expect(pipeline.process(duoRecord({ result: 'success' }))).toEqual([]);
    expect(pipeline.stats).toMatchObject({ read: 2, records: 2, classified: 2, alerts: 1, alertsByRule: { duo_fraud: 1 }, ruleErrors: 0 });
  });

  it('runs only the rules of the record’s log type, each on every record of a CloudTrail file', async () => {
    const { pipeline } = await pipelineWith({
      'rules/all.ts':
        IMPORT +
        "export const root_usage = rule({ logs: ['cloudtrail:events'], outputs: ['pagerduty:oncall'] }, (rec) => rec.userIdentity.type === 'Root');\n" +
        "export const any_duo = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => true);\n",
    });
    const alerts = pipeline.process({ Records: [cloudtrailEvent(), cloudtrailEvent({ userIdentity: { type: 'IAMUser' } }), cloudtrailEvent()] });
    expect(alerts.map((alert) => alert.ruleName)).toEqual(['root_usage', 'root_usage']);
    expect(pipeline.stats).toMatchObject({ read: 1, records: 3, classified: 3, classifiedByLogType: { 'cloudtrail:events': 3 } });
  });

  it('counts and reports a rule that throws, with its name and the record position, and goes on', async () => {
    const { pipeline, events } = await pipelineWith({
      'rules/a_throws.ts': IMPORT + "export const a_throws = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'] }, (rec) => rec.requestParameters.bucketName === 'x');\n",
      'rules/b_fires.ts': IMPORT + "export const b_fires = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'] }, () => true);\n",
    });
    // requestParameters is null for a console sign-in: the first rule throws on it.
    const alerts = pipeline.process({ Records: [cloudtrailEvent({ requestParameters: { bucketName: 'y' } }), cloudtrailEvent()] }, 7);
    expect(alerts.map((alert) => alert.ruleName)).toEqual(['b_fires', 'b_fires']);
    expect(pipeline.stats).toMatchObject({ ruleErrors: 1, ruleErrorsByRule: { a_throws: 1 }, alerts: 2 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'rule-error', rule: 'a_throws', position: { ordinal: 7, index: 1, of: 2 } });
    expect(describeEvent(events[0]!)).toMatch(/^rule a_throws failed on record 7 \(item 2 of 2\): TypeError: Cannot read properties of null/);
  });

  it('reports a rule that returns a Promise instead of raising an alert every time', async () => {
    const { pipeline, events } = await pipelineWith({ 'rules/async.ts': IMPORT + "export const async_rule = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, (async () => true) as never);\n" });
    expect(pipeline.process({ action: 'a', actor: 'b', created_at: 1 })).toEqual([]);
    expect(events.map(describeEvent)).toEqual(['rule async_rule failed on record 1: returned a Promise; rules must be synchronous and return true or false']);
  });

  it('skips a rule whose reqSubkeys are missing or not an object', async () => {
    const { pipeline, events } = await pipelineWith({
      'rules/acl.ts':
        IMPORT + "export const acl = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'], reqSubkeys: { requestParameters: ['cidrBlock'] } }, (rec) => rec.requestParameters.cidrBlock === '0.0.0.0/0');\n",
    });
    const open = cloudtrailEvent({ requestParameters: { cidrBlock: '0.0.0.0/0' } });
    expect(pipeline.process({ Records: [open, cloudtrailEvent({ requestParameters: null }), cloudtrailEvent({ requestParameters: { other: 1 } })] })).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('gives each run a fresh copy of the context, which the alert carries', async () => {
    const { pipeline } = await pipelineWith({
      'rules/ctx.ts':
        IMPORT +
        `export const ctx = rule(
          { logs: ['github:audit'], outputs: ['slack:sec-alerts'], context: { seen: [] as string[], team: 'secops' } },
          (rec, context) => { context.seen.push(rec.actor); return true; },
        );\n`,
    });
    const first = pipeline.process({ action: 'a', actor: 'alice', created_at: 1 })[0]!;
    const second = pipeline.process({ action: 'a', actor: 'bob', created_at: 2 })[0]!;
    expect(first.context).toEqual({ seen: ['alice'], team: 'secops' });
    expect(second.context).toEqual({ seen: ['bob'], team: 'secops' });
  });

  it('adds dynamic outputs after the static ones, once each, and reports bad ones without losing the alert', async () => {
    const { pipeline, events } = await pipelineWith({
      'rules/dyn.ts':
        IMPORT +
        `const ADMINS = new Set(['alice@example.com']);
        function pageAdmins(rec) { return ADMINS.has(rec.user.name) ? ['pagerduty:oncall', 'slack:sec-alerts'] : null; }
        function byContext(_rec, context) { return context.archive; }
        function unknownOutput() { return 'slack:does-not-exist'; }
        function broken() { throw new Error('lookup failed'); }
        export const duo_fraud = rule(
          { logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], context: { archive: 'aws-s3:audit' },
            dynamicOutputs: [pageAdmins, byContext, unknownOutput, broken] },
          (rec) => rec.result === 'fraud',
        );\n`,
    });
    const [admin] = pipeline.process(duoRecord({ user: { name: 'alice@example.com' } }), 1);
    expect(admin!.outputs).toEqual(['slack:sec-alerts', 'pagerduty:oncall', 'aws-s3:audit']);
    const [user] = pipeline.process(duoRecord(), 2);
    expect(user!.outputs).toEqual(['slack:sec-alerts', 'aws-s3:audit']);
    expect(events.map(describeEvent)).toEqual([
      "rule duo_fraud, dynamic output on record 1: unknownOutput returned 'slack:does-not-exist', which is not configured in conf/outputs.json",
      'rule duo_fraud, dynamic output on record 1: broken threw Error: lookup failed',
      "rule duo_fraud, dynamic output on record 2: unknownOutput returned 'slack:does-not-exist', which is not configured in conf/outputs.json",
      'rule duo_fraud, dynamic output on record 2: broken threw Error: lookup failed',
    ]);
    expect(pipeline.stats.ruleErrorsByRule).toEqual({ duo_fraud: 4 });
  });

  it("assigns publishers per output: the service's entry first, then the service:descriptor's", async () => {
    const { pipeline } = await pipelineWith({
      'rules/pub.ts':
        IMPORT +
        `export const pub = rule(
          { logs: ['github:audit'], outputs: ['slack:sec-alerts', 'pagerduty:oncall', 'aws-s3:audit'],
            publishers: { 'slack:sec-alerts': ['remove_fields'], slack: 'slack_summary', pagerduty: ['remove_internal_fields', 'pagerduty_custom_details'] } },
          () => true,
        );\n` +
        "export const every = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts', 'aws-s3:audit'], publishers: 'remove_internal_fields' }, () => true);\n",
    });
    const [pub, every] = pipeline.process({ action: 'a', actor: 'b', created_at: 1 });
    expect(pub!.publishers).toEqual({
      'slack:sec-alerts': ['slack_summary', 'remove_fields'],
      'pagerduty:oncall': ['remove_internal_fields', 'pagerduty_custom_details'],
      'aws-s3:audit': [],
    });
    expect(every!.publishers).toEqual({ 'slack:sec-alerts': ['remove_internal_fields'], 'aws-s3:audit': ['remove_internal_fields'] });
  });
});

describe('the pipeline over an input stream', () => {
  it('counts records that fit no schema, and malformed lines, with their reasons', async () => {
    const { pipeline, events } = await pipelineWith({ 'rules/duo.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');\n" }, { logType: 'duo' });
    const lines = [JSON.stringify(duoRecord()), '{"result": "fraud"', JSON.stringify(duoRecord({ extra: 1 })), JSON.stringify(duoRecord({ result: 'success' }))];
    const alerts = [];
    for await (const alert of processRecords(pipeline, readRecords(Readable.from([lines.join('\n')])))) alerts.push(alert);
    expect(alerts.map((alert) => alert.ruleName)).toEqual(['duo_fraud']);
    expect(pipeline.stats).toMatchObject({ read: 4, records: 4, classified: 2, unclassified: 2, unreadable: 1 });
    expect(pipeline.stats.unclassifiedByReason).toEqual({ 'not valid JSON': 1, "duo:authentication: unexpected key 'extra'": 1 });
    expect(events.map(describeEvent)).toEqual([expect.stringMatching(/^record 2 fits no schema: line 2 is not valid JSON/), "record 3 fits no schema: duo:authentication: unexpected key 'extra'"]);
  });

  it('keeps the summary of reasons readable: past 50 distinct reasons the rest are grouped', async () => {
    const { pipeline, events } = await pipelineWith({}, { logType: 'duo' });
    for (let i = 0; i < 60; i++) pipeline.process(duoRecord({ [`extra_${i}`]: true }));
    const reasons = pipeline.stats.unclassifiedByReason;
    expect(Object.keys(reasons)).toHaveLength(51);
    expect(reasons['other reasons']).toBe(10);
    expect(reasons["duo:authentication: unexpected key 'extra_0'"]).toBe(1);
    expect(pipeline.stats.unclassified).toBe(60);
    expect(events).toHaveLength(60);
  });

  it('runs the example project on its sample records', async () => {
    const dir = `${REPO_ROOT}/examples/quickstart`;
    const pipeline = await Pipeline.load(loadProject(dir), { onEvent: () => {} });
    expect(pipeline.problems).toEqual([]);
    const fired: string[] = [];
    const pages: string[] = [];
    for (const sample of ['cloudtrail.json', 'duo.ndjson', 'github.ndjson']) {
      for await (const alert of processRecords(pipeline, readRecords(createReadStream(`${dir}/samples/${sample}`)))) {
        fired.push(alert.ruleName);
        if (alert.outputs.includes('file:pages')) pages.push(String((alert.record.user as { name: string }).name));
      }
    }
    expect(fired).toEqual([
      'cloudtrail_network_acl_ingress_anywhere',
      'cloudtrail_root_account_usage',
      'duo_fraud',
      'duo_fraud',
      'duo_bypass_code_non_expiring',
      'github_site_admin_user_promotion',
    ]);
    // The dynamic output pages only for fraud against an administrator.
    expect(pages).toEqual(['alice@example.com']);
    expect(pipeline.stats).toMatchObject({ unclassified: 0, ruleErrors: 0 });
  });
});
