import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { isolatedEnv, tempDir } from '../support/secrets.ts';
import { DUO_FRAUD_EVENTS, writeCheckout } from './streamalert-checkout.ts';

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const json = (dir: string, path: string): unknown => JSON.parse(read(dir, path));

describe('streamalert import-streamalert DIR', () => {
  const checkout = writeCheckout();
  const project = tempDir('streamalert-imported-');
  // A file the project had before: never overwritten.
  mkdirSync(join(project, 'conf'));
  writeFileSync(join(project, 'conf', 'threat_intel.json'), '{ "enabled": false }\n');
  const env = isolatedEnv();
  const imported = streamalert(['--project', project, 'import-streamalert', checkout], { env });

  it('copies conf/ files this project reads unchanged, byte for byte, and keeps the project\'s own', () => {
    for (const path of ['conf/schemas/duo.json', 'conf/normalized_types.json', 'conf/lookup_tables.json']) expect(read(project, path), path).toBe(read(checkout, path));
    expect(read(project, 'conf/threat_intel.json')).toBe('{ "enabled": false }\n');
    expect(imported.stdout).toContain('Kept 1 existing file unchanged (import never overwrites):\n  conf/threat_intel.json\n');
  });

  it("writes outputs.json with this package's services in StreamAlert's shape, and global.json with the account", () => {
    expect(json(project, 'conf/outputs.json')).toEqual({ slack: ['sec'], 'pagerduty-v2': ['oncall'], 'aws-s3': { audit: 'acme-alerts' } });
    expect(json(project, 'conf/global.json')).toEqual({ account: { prefix: 'acme', region: 'eu-west-1' } });
    expect(json(project, 'package.json')).toEqual({ private: true, type: 'module' });
  });

  it('copies each rule\'s test events unchanged', () => {
    expect(json(project, 'rules/community/duo/duo_fraud.json')).toEqual(DUO_FRAUD_EVENTS);
    expect(read(project, 'rules/community/duo/duo_push.json')).toBe(read(checkout, 'rules/community/duo/duo_push.json'));
  });

  it('reports, one line each, what it could not carry and what to do instead', () => {
    const lines = imported.stdout.split('\n');
    const notCarried = lines.slice(lines.indexOf('Not carried over (what to do instead):') + 1, lines.indexOf('', lines.indexOf('Not carried over (what to do instead):')));
    expect(notCarried.map((line) => /^ {2}([^:]+: [^\s:]+)/.exec(line)?.[1])).toEqual([
      'conf/clusters/prod.json: a',
      'conf/global.json: account.aws_account_id',
      'conf/global.json: general.third_party_libraries',
      'conf/global.json: infrastructure.alerts_table',
      'conf/global.json: infrastructure.firehose',
      'conf/global.json: infrastructure.rule_staging',
      'conf/lambda.json: Lambda',
      'conf/outputs.json: aws-cloudwatch-log',
      'conf/outputs.json: acme-siem',
      'output credentials: StreamAlert',
      'rules/helpers/base.py: built',
      'publishers/acme/ticket.py: publishers.acme.ticket.ticket_fields',
    ]);
    expect(imported.stdout).toContain('  conf/outputs.json: acme-siem:soc: no such output service here: add one in the project\'s outputs/ folder (docs/adding-a-service.md), or use another\n');
    expect(imported.stdout).toContain('  conf/outputs.json: aws-cloudwatch-log:trail: StreamAlert kept the aws-cloudwatch-log resource in SSM, here it is in conf/outputs.json: configure each with: streamalert output new --service aws-cloudwatch-log --descriptor trail\n');
    expect(imported.stdout).toContain("  publishers/acme/ticket.py: publishers.acme.ticket.ticket_fields: not built in: port each with publisher('NAME', fn, { aliases: ['publishers.acme.ticket.ticket_fields'] }) in publishers/ (docs/publishers.md)\n");
  });

  it('names the rules it could not parse with file and line, writes nothing for them, and exits 1', () => {
    expect(imported.stdout).toContain(
      'Could not be read (nothing written for these):\n' +
        "  rules/community/broken/broken.py:6: rule computed_logs: logs=LOGS is not a literal list of log types: write the list in the decorator, or port this rule by hand; no skeleton written\n" +
        '  rules/community/broken/unclosed.py:5: a string is not closed on its line; not read\n',
    );
    expect(() => statSync(join(project, 'rules/community/broken/broken.ts'))).toThrow();
    expect(imported.stderr).toBe('error: 2 rules or files could not be read (listed above); everything else was imported\n');
    expect(imported.status).toBe(1);
  });

  it("writes a skeleton with the decorator's options, the docstring as description, and the Python as a comment", () => {
    const fraud = read(project, 'rules/community/duo/duo_fraud.ts');
    expect(fraud).toContain(
      [
        'export const duo_fraud = rule(',
        '  {',
        "    logs: ['duo:authentication'],",
        "    outputs: ['slack:sec', 'pagerduty-v2:oncall'],",
        "    // output 'acme-siem:soc' not carried: no 'acme-siem' output service here",
        "    description: 'author:       acme secops\\ndescription:  A Duo login was marked as fraud by its user',",
        '  },',
        '  (rec) => {',
        "    // @rule(logs=['duo:authentication'], outputs=['slack:sec', 'pagerduty-v2:oncall', 'acme-siem:soc'])",
        '    // def duo_fraud(rec):',
      ].join('\n'),
    );
    expect(fraud).toContain("    //     return rec['result'] == 'FRAUD'\n    return false; // TODO: port the Python above\n  },\n);\n");

    const push = read(project, 'rules/community/duo/duo_push.ts');
    expect(push).toContain("import { rule, type DynamicOutput } from 'streamalert';");
    expect(push).toContain("const duo_push_outside_office_owner: DynamicOutput = () => null; // TODO: port owner");
    for (const option of [
      "    logs: ['duo:authentication'],",
      "    datatypes: ['sourceAddress'],",
      "    outputs: ['slack:sec'],",
      '    dynamicOutputs: [duo_push_outside_office_owner],',
      "    publishers: {\n      slack: [\n        'publishers.community.slack.slack_layout.Summary',\n      ],\n      'slack:sec': 'publishers.community.generic.remove_internal_fields',\n    },",
      "    reqSubkeys: { user: ['name'] },",
      "    matchers: ['DuoMatcher.is_push'],",
      "    mergeByKeys: ['user'],",
      '    mergeWindowMins: 30,',
      "    // context={'office': OFFICE, 'limit': 3, 'quiet': None}: not carried (a dict literal was expected)",
      '    disabled: true,',
      "    description: 'Pushes from outside the office',",
      '  (rec, context) => {',
    ]) {
      expect(push).toContain(`${option}\n`);
    }
    expect(push).toContain("// OFFICE = '203.0.113.0/24'  # the office's network\n");
    expect(imported.stdout).toContain('rules/community/duo/duo_push.py:13: rule duo_push_outside_office: context not carried (a dict literal was expected); kept as a comment\n');
    // Merging ports one to one: nothing to report about it.
    expect(imported.stdout).not.toContain('duo_push_outside_office: merge_by_keys');
  });

  it('lists the rules that name no outputs', () => {
    expect(imported.stdout).toContain("1 rule name no outputs (StreamAlert sent them only to its required aws-firehose:alerts); they do not load until they have one: name outputs in them, or import again with --default-output SERVICE:DESCRIPTOR:\n  duo_anonymous_ip\n");
    expect(read(project, 'rules/community/duo/duo_push.ts')).toContain("    outputs: [], // TODO: StreamAlert sent this rule's alerts only to its required aws-firehose:alerts; name an output\n");
  });

  it('writes matchers as matcher() skeletons named Class.method', () => {
    expect(read(project, 'matchers/default.ts')).toContain("matcher('DuoMatcher.is_push', {}, (rec) => {\n  //     @classmethod\n  //     def is_push(cls, rec):\n  //         return rec['factor'] == cls._PUSH\n  return false; // TODO: port the Python above\n});\n");
    expect(read(project, 'matchers/default.ts')).toContain('//     _PUSH = "duo_push"\n');
  });

  it('the skeletons type-check', () => {
    const check = streamalert(['--project', project, 'rules', 'check'], { env });
    expect(check.stdout).toBe('3 files checked, no problems\n'); // two rule files and the matchers file
    expect(check.status, check.stderr).toBe(0);
  });

  it('the copied test events run: the skeletons returning false fail the events expecting them, and rules test says so (exit 1)', () => {
    const test = streamalert(['--project', project, 'rules', 'test'], { env });
    expect(test.stdout).toContain(
      'rules/community/duo/duo_fraud.json\n' +
        '  FAIL  #1  A login marked as fraud alerts\n' +
        '        classified as:  duo:authentication (expected duo:authentication)\n' +
        '        expected rules: duo_fraud\n' +
        '        fired rules:    (none)\n' +
        '  pass  #2  A successful login does not\n',
    );
    // The disabled rule's event expects nothing once it is dropped; the rule without outputs did not load.
    expect(test.stdout).toContain('rules/community/duo/duo_push.json\n  pass  #1  A push from outside the office\n        skipped (disabled): duo_push_outside_office\n');
    expect(test.stdout).toMatch(/Did not load \(each is a failure\):\n {2}rules\/community\/duo\/duo_push\.ts: rule duo_anonymous_ip: has no outputs/);
    expect(test.stdout).toContain('Rule tests: 3 events, 2 passed, 1 failed, 1 did not load, 1 disabled rule skipped\n');
    expect(test.status).toBe(1);
  });

  it('a second import keeps every file as it is and says so', () => {
    const before = read(project, 'rules/community/duo/duo_fraud.ts');
    writeFileSync(join(project, 'rules/community/duo/duo_fraud.ts'), `${before}// ported by hand\n`);

    const again = streamalert(['--project', project, 'import-streamalert', checkout], { env });

    expect(read(project, 'rules/community/duo/duo_fraud.ts')).toBe(`${before}// ported by hand\n`);
    expect(again.stdout).toMatch(/Kept 1[0-9] existing files unchanged \(import never overwrites\):\n {2}conf\/global\.json\n/);
    expect(again.stdout).toContain('  rules/community/duo/duo_fraud.ts\n');
    expect(again.stdout).toContain('  0 rule files and 0 matcher files written as TypeScript skeletons');
  });
});

describe('import-streamalert options and refusals', () => {
  it('--default-output gives rules without outputs that output', () => {
    const project = tempDir('streamalert-imported-');
    const imported = streamalert(['--project', project, 'import-streamalert', writeCheckout(), '--default-output', 'slack:sec'], { env: isolatedEnv() });
    expect(imported.status).toBe(1);
    expect(read(project, 'rules/community/duo/duo_push.ts')).toMatch(/export const duo_anonymous_ip = rule\(\n {2}\{\n {4}logs: \['duo:authentication'\],\n {4}outputs: \['slack:sec'\],\n/);
    expect(imported.stdout).not.toContain('name no outputs');
  });

  it('a folder that is not a StreamAlert checkout is bad usage (exit 2), and nothing is written', () => {
    const project = tempDir('streamalert-imported-');
    const empty = tempDir('not-a-checkout-');
    const imported = streamalert(['--project', project, 'import-streamalert', empty], { env: isolatedEnv() });
    expect(imported.stderr).toBe(`error: ${empty} has neither conf/ nor rules/: pass the root of a StreamAlert checkout\n`);
    expect(imported.status).toBe(2);
    expect(() => statSync(join(project, 'conf'))).toThrow();
  });

  it('a --default-output that is not service:descriptor is bad usage', () => {
    const imported = streamalert(['--project', tempDir(), 'import-streamalert', writeCheckout(), '--default-output', 'slack'], { env: isolatedEnv() });
    expect(imported.stderr).toBe("error: --default-output 'slack' is not an output name: service:descriptor, e.g. slack:sec-alerts\n");
    expect(imported.status).toBe(2);
  });
});
