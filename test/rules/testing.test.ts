import { describe, expect, it } from 'vitest';
import type { LoadedRule } from '../../src/rules/loader.ts';
import { formatRuleTestReport } from '../../src/rules/testing.ts';
import { activeTestFixtures, parseTestFixtures, TestFixtures } from '../../src/rules/test-events/fixtures.ts';
import { DUO_LOG, duoEvent, IMPORT, runProject } from './testing-support.ts';

const FRAUD_RULES = {
  'rules/duo.ts':
    IMPORT +
    "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'FRAUD');\n" +
    "export const duo_push = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.factor === 'duo_push');\n",
};

describe('running test events', () => {
  it('fires exactly trigger_rules, and lists the rules no event expects', async () => {
    const report = await runProject({
      ...FRAUD_RULES,
      'rules/duo.json': [duoEvent({ data: DUO_LOG, description: 'fraud by push', trigger_rules: ['duo_fraud', 'duo_push'] }), duoEvent({ data: DUO_LOG, description: 'expects too few', trigger_rules: ['duo_fraud'] })],
    });
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.firedRules])).toEqual([
      [true, ['duo_fraud', 'duo_push']],
      [false, ['duo_fraud', 'duo_push']],
    ]);
    expect(report.untested).toEqual([]);
  });

  it('skips publishers on request', async () => {
    const report = await runProject({
      'rules/pub.ts':
        IMPORT +
        "export const pub = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], publishers: 'remove_fields', context: { remove_fields: ['('] } }, () => true);\n",
      'rules/pub.json': [duoEvent({ data: DUO_LOG, description: 'publishers run', trigger_rules: ['pub'] }), duoEvent({ data: DUO_LOG, description: 'publishers skipped', trigger_rules: ['pub'], skip_publishers: true })],
    });
    expect(report.outcomes.map((outcome) => outcome.passed)).toEqual([false, true]);
    expect(report.outcomes[0]!.errors[0]).toContain('publishers of rule pub for slack:sec-alerts failed');
  });

  it('with a rule name, runs the events in its file and the events that expect it, not the others', async () => {
    const report = await runProject(
      {
        ...FRAUD_RULES,
        'rules/duo_fraud.json': [duoEvent({ data: DUO_LOG, description: 'in the file named after the rule', trigger_rules: ['duo_fraud', 'duo_push'] })],
        'rules/misc.json': [duoEvent({ data: DUO_LOG, description: 'expects duo_fraud', trigger_rules: ['duo_fraud', 'duo_push'] }), duoEvent({ data: { ...DUO_LOG, result: 'SUCCESS' }, description: 'about another rule', trigger_rules: ['duo_push'] })],
      },
      { rule: 'duo_fraud' },
    );
    expect(report.outcomes.map((outcome) => outcome.event.description)).toEqual(['in the file named after the rule', 'expects duo_fraud']);
    expect(report.untested).toEqual([]);
  });
});

describe('disabled rules (StreamAlert @disable)', () => {
  const disable = (flag: (rule: LoadedRule) => LoadedRule) => (rules: LoadedRule[]) => rules.map((rule) => (rule.name === 'duo_push' ? flag(rule) : rule));

  it.each([
    ['a disabled field', (rule: LoadedRule) => ({ ...rule, disabled: true }) as LoadedRule],
    ['options.disabled', (rule: LoadedRule) => ({ ...rule, options: { disabled: true } }) as LoadedRule],
  ])('with %s, a rule does not run and is dropped from trigger_rules, reported as skipped', async (_, flag) => {
    const report = await runProject(
      {
        ...FRAUD_RULES,
        'rules/duo.json': [
          duoEvent({ data: DUO_LOG, description: 'expects both', trigger_rules: ['duo_fraud', 'duo_push'] }),
          duoEvent({ data: { ...DUO_LOG, result: 'SUCCESS' }, description: 'expects the disabled one only', trigger_rules: ['duo_push'] }),
        ],
      },
      { change: disable(flag) },
    );
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.expectedRules, outcome.firedRules, outcome.skippedRules])).toEqual([
      [true, ['duo_fraud'], ['duo_fraud'], ['duo_push']],
      [true, [], [], ['duo_push']],
    ]);
    const printed = formatRuleTestReport(report);
    expect(printed).toContain('  pass  #1  expects both\n        skipped (disabled): duo_push\n');
    expect(printed).toContain('Rule tests: 2 events, 2 passed, 0 failed, 1 disabled rule skipped');
  });

  it('is not listed among the rules no event expects', async () => {
    const report = await runProject({ ...FRAUD_RULES, 'rules/duo.json': [duoEvent({ data: { ...DUO_LOG, factor: 'sms' }, trigger_rules: ['duo_fraud'] })] }, { change: disable((rule) => ({ ...rule, disabled: true }) as LoadedRule) });
    expect(report.outcomes[0]!.passed).toBe(true);
    expect(report.untested).toEqual([]);
  });

  it('without the flag, the same events fail: the rule runs and is expected', async () => {
    const report = await runProject({ ...FRAUD_RULES, 'rules/duo.json': [duoEvent({ data: { ...DUO_LOG, result: 'SUCCESS' }, trigger_rules: [] })] });
    expect(report.outcomes[0]).toMatchObject({ passed: false, firedRules: ['duo_push'], skippedRules: [] });
  });
});

describe('test_fixtures', () => {
  const TABLES = { lookup_tables: { 'dynamo-backed-table': { duo_blocked_os: ['Mac OS X', 'Windows 95'] } }, threat_intel: [{ ioc_value: '198.51.100.77', ioc_type: 'ip', sub_type: 'mal_ip' }] };

  it("are active while the event's rules run, and empty for an event without any", async () => {
    const seen: unknown[] = [];
    // A rule reading the fixtures the way the lookup-table and threat-intel code is to read them.
    const fixtureRule = (rules: LoadedRule[]) =>
      rules.map((rule) => ({
        ...rule,
        fn: (record: Record<string, unknown>) => {
          const fixtures = activeTestFixtures()!;
          const blocked = fixtures.lookup('dynamo-backed-table', 'duo_blocked_os');
          const device = record.access_device as { ip: string; os: string };
          seen.push({ tables: fixtures.tableNames, blocked, intel: fixtures.threatIntelMatches([device.ip]).map((ioc) => ioc.sub_type) });
          return blocked.found && (blocked.value as string[]).includes(device.os);
        },
      }));
    const report = await runProject(
      {
        'rules/blocked.ts': IMPORT + "export const blocked_os = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => false);\n",
        'rules/blocked.json': [duoEvent({ data: DUO_LOG, trigger_rules: ['blocked_os'], test_fixtures: TABLES }), duoEvent({ data: DUO_LOG, description: 'no fixtures', trigger_rules: [] })],
      },
      { change: fixtureRule },
    );
    expect(report.outcomes.map((outcome) => outcome.passed)).toEqual([true, true]);
    expect(seen).toEqual([
      { tables: ['dynamo-backed-table'], blocked: { found: true, value: ['Mac OS X', 'Windows 95'] }, intel: ['mal_ip'] },
      { tables: [], blocked: { found: false }, intel: [] },
    ]);
    expect(activeTestFixtures()).toBeUndefined();
  });

  it('are checked: a wrong shape is malformed, an unknown key warns', async () => {
    const report = await runProject({
      'rules/blocked.ts': IMPORT + "export const blocked_os = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => false);\n",
      'rules/blocked.json': [
        duoEvent({ data: DUO_LOG, test_fixtures: { threat_intel: [{ ioc_type: 'ip' }] } }),
        duoEvent({ data: DUO_LOG, test_fixtures: { lookup_tables: { t: ['a'] } } }),
        duoEvent({ data: DUO_LOG, test_fixtures: { lookup_table: {} } }),
      ],
    });
    expect(report.malformed.map((bad) => bad.problem)).toEqual(["test_fixtures.threat_intel[0] needs 'ioc_value' (text)", 'test_fixtures.lookup_tables.t must be an object of keys and their values: {"lookup-key": value}']);
    expect(report.warnings).toEqual(["rules/blocked.json, event #3 (index 2): unknown key 'lookup_table' in test_fixtures is ignored (known: lookup_tables, threat_intel)"]);
  });

  it('keep the last indicator of a value, as StreamAlert keys them by value', () => {
    const parsed = parseTestFixtures({ threat_intel: [{ ioc_value: 'evil.com', ioc_type: 'domain', sub_type: 'c2' }, { ioc_value: 'evil.com', ioc_type: 'domain', sub_type: 'phishing' }] });
    expect(parsed).not.toBeTypeOf('string');
    expect((parsed as { fixtures: TestFixtures }).fixtures.threatIntelMatches(['evil.com', 'good.com'])).toEqual([{ ioc_value: 'evil.com', ioc_type: 'domain', sub_type: 'phishing' }]);
  });
});
