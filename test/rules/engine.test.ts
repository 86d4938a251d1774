import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import { readRecords } from '../../src/input/reader.ts';
import { describeEvent, type PipelineEvent } from '../../src/pipeline/events.ts';
import { loadDetection } from '../../src/pipeline/load.ts';
import { Pipeline, processRecords } from '../../src/pipeline/pipeline.ts';
import { publicationFor } from '../../src/publishers/publish.ts';
import { RuleExitError } from '../../src/rules/errors.ts';
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
    expect(events.map(describeEvent)).toEqual([expect.stringMatching(/^line 2 is not valid JSON \(.* at column \d+\)$/), "record 3 fits no schema: duo:authentication: unexpected key 'extra'"]);
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

describe('rules cannot harm each other or the run', () => {
  const GITHUB = "logs: ['github:audit'], outputs: ['slack:sec-alerts']";
  const audit = (actor: string) => ({ action: 'org.update_member', actor, created_at: 1 });

  it("freezes the record: a rule that changes it fails, and another rule's alert keeps the original", async () => {
    const { pipeline, events } = await pipelineWith({
      'rules/a.ts':
        IMPORT +
        `export const a_sets = rule({ ${GITHUB} }, (rec) => { rec.actor = 'MUTATED'; return false; });
export const b_pushes = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => { rec.user.groups = ['admins']; return true; });
export const c_deletes = rule({ ${GITHUB} }, (rec) => delete rec.action);\n`,
      'rules/b.ts': IMPORT + `export const witness = rule({ ${GITHUB} }, (rec) => rec.actor === 'alice' && rec.action === 'org.update_member');\n`,
    });
    const [alert, ...others] = pipeline.process(audit('alice'));
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ ruleName: 'witness', record: audit('alice') });
    expect(pipeline.process(duoRecord())).toEqual([]);
    expect(events.map(describeEvent)).toEqual([
      "rule a_sets failed on record 1: TypeError: Cannot assign to read only property 'actor' of object '#<Object>' (records are read-only, shared by every rule: copy what you change, e.g. { ...rec })",
      "rule c_deletes failed on record 1: TypeError: Cannot delete property 'action' of #<Object> (records are read-only, shared by every rule: copy what you change, e.g. { ...rec })",
      'rule b_pushes failed on record 2: TypeError: Cannot add property groups, object is not extensible (records are read-only, shared by every rule: copy what you change, e.g. { ...rec })',
    ]);
  });

  it('reports whatever a rule or dynamic output throws, on one line, and the other rules go on', async () => {
    const { pipeline, events } = await pipelineWith({
      'rules/throws.ts':
        IMPORT +
        `const hostile = new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });
class Sneaky extends Error { get message() { throw new Error('no'); } }
function nullPrototype() { throw Object.create(null); }
export const a_null_prototype = rule({ ${GITHUB} }, () => { throw Object.create(null); });
export const b_undefined = rule({ ${GITHUB} }, () => { throw undefined; });
export const c_number = rule({ ${GITHUB} }, () => { throw 42; });
export const d_proxy = rule({ ${GITHUB} }, () => { throw hostile; });
export const e_sneaky = rule({ ${GITHUB} }, () => { throw new Sneaky(); });
export const f_multiline = rule({ ${GITHUB} }, () => { throw new Error('first line\\n  second line'); });
export const g_fires = rule({ ${GITHUB}, dynamicOutputs: [nullPrototype] }, () => true);\n`,
    });
    const alerts = pipeline.process(audit('alice'));
    expect(alerts.map((alert) => [alert.ruleName, alert.outputs])).toEqual([['g_fires', ['slack:sec-alerts']]]);
    expect(events.map(describeEvent)).toEqual([
      'rule a_null_prototype failed on record 1: [Object: null prototype] {} (an object with no prototype) was thrown, not an Error',
      'rule b_undefined failed on record 1: undefined was thrown, not an Error',
      'rule c_number failed on record 1: 42 (a number) was thrown, not an Error',
      'rule d_proxy failed on record 1: {} (a Proxy) was thrown, not an Error',
      'rule e_sneaky failed on record 1: Error: (its message cannot be read)',
      'rule f_multiline failed on record 1: Error: first line second line',
      'rule g_fires, dynamic output on record 1: nullPrototype threw [Object: null prototype] {} (an object with no prototype) was thrown, not an Error',
    ]);
    expect(pipeline.stats).toMatchObject({ ruleErrors: 7, alerts: 1 });
  });

  it('fires only on true: false is no alert, anything else is a rule error', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { pipeline, events } = await pipelineWith({
        'rules/returns.ts':
          IMPORT +
          `export const a_true = rule({ ${GITHUB} }, () => true);
export const b_false = rule({ ${GITHUB} }, () => false);
export const c_string_false = rule({ ${GITHUB} }, (() => 'false') as never);
export const d_one = rule({ ${GITHUB} }, (() => 1) as never);
export const e_null = rule({ ${GITHUB} }, (() => null) as never);
export const f_undefined = rule({ ${GITHUB} }, ((rec) => { rec.actor === 'alice'; }) as never);
export const g_object = rule({ ${GITHUB} }, (() => ({ match: true })) as never);
export const h_rejects = rule({ ${GITHUB} }, (async () => { throw new Error('async failure'); }) as never);\n`,
      });
      expect(pipeline.process(audit('alice')).map((alert) => alert.ruleName)).toEqual(['a_true']);
      expect(events.map(describeEvent)).toEqual([
        "rule c_string_false failed on record 1: returned 'false' (a string); rules return true or false",
        'rule d_one failed on record 1: returned 1 (a number); rules return true or false',
        'rule e_null failed on record 1: returned null; rules return true or false',
        'rule f_undefined failed on record 1: returned undefined; rules return true or false (a missing return? an expression such as rec.a && rec.a.b can end in undefined: compare with ===, or wrap it in Boolean(...))',
        'rule g_object failed on record 1: returned { match: true } (an object); rules return true or false',
        'rule h_rejects failed on record 1: returned a Promise; rules must be synchronous and return true or false',
      ]);
      expect(pipeline.stats.ruleErrors).toBe(6);
      // The rejected Promise was already reported as this rule's error: it must not crash the process.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('stops a rule that never returns, reports it by name and record, disables it, and the other rules go on', async () => {
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      'rules/spin.ts':
        IMPORT +
        `export const a_before = rule({ ${GITHUB} }, () => true);
export const b_spins_on_bob = rule({ ${GITHUB} }, (rec) => { for (;;) if (rec.actor !== 'bob') return true; });
export const c_after = rule({ ${GITHUB} }, () => true);\n`,
    });
    const detection = await loadDetection(loadProject(dir));
    const events: PipelineEvent[] = [];
    const parts = { ...detection, outputs: loadProject(dir).outputs, onEvent: (event: PipelineEvent) => events.push(event) };
    const pipeline = new Pipeline(parts);
    const batch = ['alice', 'bob', 'carol'].map((actor, i) => ({ ordinal: i + 1, value: audit(actor) }));
    const fired = pipeline.processBatch(batch).map((alert) => `${alert.ruleName} ${String(alert.record.actor)}`);
    expect(fired).toEqual(['a_before alice', 'b_spins_on_bob alice', 'c_after alice', 'a_before bob', 'c_after bob', 'a_before carol', 'c_after carol']);
    expect(events.map(describeEvent)).toEqual([
      'rule b_spins_on_bob failed on record 2: did not return within 1,000 ms, so it was stopped and is disabled for the rest of the run (a loop that never ends, or a regular expression that backtracks without end?)',
    ]);
    expect(pipeline.stats).toMatchObject({ ruleErrors: 1, ruleErrorsByRule: { b_spins_on_bob: 1 }, stoppedRules: ['b_spins_on_bob'], alerts: 7 });

    // serve makes a pipeline per request from the same rules: the stopped rule stays disabled.
    const next = new Pipeline(parts);
    expect(next.process(audit('alice')).map((alert) => alert.ruleName)).toEqual(['a_before', 'c_after']);
  });

  it('refuses process.exit in a rule body, caught or not: a rule error, and the process goes on', async () => {
    const { pipeline, events } = await pipelineWith({
      'rules/exits.ts':
        IMPORT +
        `export const a_exits = rule({ ${GITHUB} }, () => process.exit(0));
export const b_exits_quietly = rule({ ${GITHUB} }, () => { try { process.exit(); } catch {} return true; });
export const c_fires = rule({ ${GITHUB} }, () => true);\n`,
    });
    expect(pipeline.process(audit('alice')).map((alert) => alert.ruleName)).toEqual(['c_fires']);
    expect(events.map(describeEvent)).toEqual([
      'rule a_exits failed on record 1: RuleExitError: called process.exit(0); rule files, rules and publishers must not end the process (throw an Error to report a problem)',
      'rule b_exits_quietly failed on record 1: called process.exit and caught the RuleExitError that stopped it; rules must not end the process',
    ]);
  });

  it('refuses process.exit from a publisher, which runs outside the rules, by the file it is in', async () => {
    const { pipeline } = await pipelineWith({
      'publishers/quit.ts': "import { publisher } from 'streamalert';\nexport const quit = publisher('quit', () => process.exit(0));\n",
      'rules/pub.ts': IMPORT + `export const pub = rule({ ${GITHUB}, publishers: ['quit'] }, () => true);\n`,
    });
    const [alert] = pipeline.process(audit('alice'));
    expect(() => publicationFor(alert!, 'slack:sec-alerts')).toThrow(RuleExitError);
  });

  it('gives a batch the same alerts and counts as its items one by one', async () => {
    const rules = { 'rules/duo.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');\n" };
    const items = [duoRecord(), duoRecord({ result: 'success' }), { hello: 1 }, duoRecord({ user: { name: 'alice' } })].map((value, i) => ({ ordinal: i + 1, value }));
    const one = await pipelineWith(rules);
    const byItem = items.flatMap((item) => one.pipeline.processInput({ ...item, value: structuredClone(item.value) }));
    const batched = await pipelineWith(rules);
    const byBatch = batched.pipeline.processBatch(items);
    expect(byBatch.map((alert) => alert.record)).toEqual(byItem.map((alert) => alert.record));
    expect(byBatch).toHaveLength(2);
    expect(batched.pipeline.stats).toEqual(one.pipeline.stats);
    expect(batched.events).toEqual(one.events);
  });
});
