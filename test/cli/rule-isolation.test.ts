import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamalertAsync } from '../support/cli.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const IMPORT = "import { rule } from 'streamalert';\n";
const DUO = "logs: ['duo:authentication'], outputs: ['file:alerts']";

/** A project whose rules (file name -> source) deliver to the local file output alerts.jsonl. */
function projectWith(rules: Record<string, string>): string {
  return tempProject({
    ...SCHEMAS,
    'conf/outputs.json': { file: ['alerts'] },
    'conf/output_settings.json': { file: { alerts: { path: 'alerts.jsonl' } } },
    ...rules,
  });
}

interface DeliveredAlert {
  rule_name: string;
  record: { result: string; user: { name: string } };
}

/** The alerts the file output received. */
function delivered(dir: string): DeliveredAlert[] {
  const path = join(dir, 'alerts.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as DeliveredAlert);
}

/** `streamalert run` over Duo records of alice, bob and carol (all marked fraud), in that order. */
async function runOn(dir: string, ...flags: string[]) {
  const input = join(dir, 'duo.ndjson');
  const users = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
  writeFileSync(input, users.map((name) => JSON.stringify(duoRecord({ user: { name, key: 'K' } }))).join('\n'));
  return streamalertAsync(['--project', dir, 'run', '--input', input, ...flags], { env: isolatedEnv() });
}

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('warning: '));
}

function lastLine(stdout: string): string | undefined {
  return stdout.trim().split('\n').at(-1);
}

describe('streamalert run: rules cannot harm each other or the run', () => {
  it("a rule that changes the record does not change what another rule's alert delivers", async () => {
    const dir = projectWith({
      // Files load in path order: the rule that writes runs first on every record.
      'rules/a_mutates.ts': IMPORT + `export const a_mutates = rule({ ${DUO} }, (rec) => { rec.result = 'MUTATED'; rec.user.name = 'mallory'; return false; });\n`,
      'rules/b_witness.ts': IMPORT + `export const b_witness = rule({ ${DUO} }, (rec) => rec.result === 'fraud');\n`,
    });
    const run = await runOn(dir);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const alerts = delivered(dir);
    // Deliveries to one output run side by side, so the file's lines need not follow the input's order.
    expect(alerts.map((alert) => [alert.rule_name, alert.record.result, alert.record.user.name]).sort()).toEqual([
      ['b_witness', 'fraud', 'alice@example.com'],
      ['b_witness', 'fraud', 'bob@example.com'],
      ['b_witness', 'fraud', 'carol@example.com'],
    ]);
    expect(warnings(run.stderr)[0]).toBe(
      "warning: rule a_mutates failed on record 1: TypeError: Cannot assign to read only property 'result' of object '#<Object>' (records are read-only, shared by every rule: copy what you change, e.g. { ...rec })",
    );
    expect(run.stdout).toMatch(/rule errors\s+3 +\(a_mutates: 3\)/);
  });

  it('counts odd throws and anything but true or false as rule errors; only true fires', async () => {
    const dir = projectWith({
      'rules/throws.ts':
        IMPORT +
        `export const throws_null_prototype = rule({ ${DUO} }, () => { throw Object.create(null); });
export const throws_undefined = rule({ ${DUO} }, () => { throw undefined; });
export const throws_number = rule({ ${DUO} }, () => { throw 42; });\n`,
      'rules/returns.ts':
        IMPORT +
        `export const returns_string_false = rule({ ${DUO} }, (() => 'false') as never);
export const returns_one = rule({ ${DUO} }, (() => 1) as never);
export const returns_promise = rule({ ${DUO} }, (async () => true) as never);
export const returns_rejection = rule({ ${DUO} }, (async () => { throw new Error('later'); }) as never);
export const returns_undefined = rule({ ${DUO} }, (() => undefined) as never);
export const returns_false = rule({ ${DUO} }, () => false);
export const returns_true = rule({ ${DUO} }, () => true);\n`,
    });
    const run = await runOn(dir);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(delivered(dir).map((alert) => alert.rule_name)).toEqual(['returns_true', 'returns_true', 'returns_true']);
    const firstRecord = warnings(run.stderr).filter((line) => line.includes(' on record 1: '));
    // Rules run in file order, and in each file in the order of their names (an ES module's exports are sorted).
    expect(firstRecord).toEqual([
      'warning: rule returns_one failed on record 1: returned 1 (a number); rules return true or false',
      'warning: rule returns_promise failed on record 1: returned a Promise; rules must be synchronous and return true or false',
      'warning: rule returns_rejection failed on record 1: returned a Promise; rules must be synchronous and return true or false',
      "warning: rule returns_string_false failed on record 1: returned 'false' (a string); rules return true or false",
      'warning: rule returns_undefined failed on record 1: returned undefined; rules return true or false (a missing return? an expression such as rec.a && rec.a.b can end in undefined: compare with ===, or wrap it in Boolean(...))',
      'warning: rule throws_null_prototype failed on record 1: [Object: null prototype] {} (an object with no prototype) was thrown, not an Error',
      'warning: rule throws_number failed on record 1: 42 (a number) was thrown, not an Error',
      'warning: rule throws_undefined failed on record 1: undefined was thrown, not an Error',
    ]);
    expect(run.stdout).toMatch(/rule errors\s+24 +\(/);
    for (const name of ['throws_null_prototype', 'throws_undefined', 'throws_number', 'returns_string_false', 'returns_one', 'returns_promise', 'returns_rejection', 'returns_undefined']) {
      expect(run.stdout).toContain(`${name}: 3`);
    }
    expect(run.stdout).toMatch(/returns_true\s+3/);
    expect(lastLine(run.stdout)).toBe('24 rule errors: exit 1 (--allow-errors accepts them)');
  });

  it('stops a rule that never returns, names it, disables it, delivers the other alerts and ends with the summary', async () => {
    const dir = projectWith({
      'rules/duo.ts':
        IMPORT +
        `export const a_before = rule({ ${DUO} }, () => true);
export const b_spins_on_bob = rule({ ${DUO} }, (rec) => { while (rec.user.name === 'bob@example.com') {} return true; });
export const c_after = rule({ ${DUO} }, () => true);\n`,
    });
    const run = await runOn(dir, '--json');
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(warnings(run.stderr)).toEqual([
      'warning: rule b_spins_on_bob failed on record 2: did not return within 1,000 ms, so it was stopped and is disabled for the rest of the run (a loop that never ends, or a regular expression that backtracks without end?)',
    ]);
    // It fired on alice's record before it looped on bob's; carol's record never reached it.
    const fired = delivered(dir).map((alert) => `${alert.rule_name} ${alert.record.user.name.split('@')[0]}`);
    expect(fired.sort()).toEqual(['a_before alice', 'a_before bob', 'a_before carol', 'b_spins_on_bob alice', 'c_after alice', 'c_after bob', 'c_after carol']);
    const summary = JSON.parse(run.stdout) as { stats: { rule_errors_by_rule: unknown; stopped_rules: unknown }; deliveries: unknown };
    expect(summary.stats).toMatchObject({ rule_errors_by_rule: { b_spins_on_bob: 1 }, stopped_rules: ['b_spins_on_bob'] });
    expect(summary.deliveries).toEqual({ 'file:alerts': { delivered: 7, failed: 0, pending: 0 } });
  });

  it('says in the summary which rules were stopped, and --allow-errors accepts it', async () => {
    const dir = projectWith({
      'rules/duo.ts': IMPORT + `export const backtracks = rule({ ${DUO} }, () => /^(a+)+$/.test('a'.repeat(64) + 'b'));\nexport const fires = rule({ ${DUO} }, () => true);\n`,
    });
    const run = await runOn(dir, '--allow-errors');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Stopped (ran past the time budget on a record, see the warnings above; disabled for the rest of the run): rule backtracks');
    expect(run.stdout).toMatch(/fires\s+3/);
    expect(lastLine(run.stdout)).toBe('1 rule error: accepted (--allow-errors)');
  });

  it('refuses process.exit in a rule file and in a rule body: reported, the run finishes with its summary and exit 1', async () => {
    const dir = projectWith({
      'rules/exits_on_load.ts': IMPORT + `export const never_loads = rule({ ${DUO} }, () => true);\nprocess.exit(0);\n`,
      'rules/exits_quietly.ts': IMPORT + `try { process.exit(0); } catch {}\nexport const also_never_loads = rule({ ${DUO} }, () => true);\n`,
      'rules/duo.ts':
        IMPORT +
        `export const exits_in_body = rule({ ${DUO} }, (rec) => { if (rec.user.name === 'bob@example.com') process.exit(0); return true; });
export const fires = rule({ ${DUO} }, () => true);\n`,
    });
    const run = await runOn(dir);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(warnings(run.stderr)).toEqual([
      'warning: rules/exits_on_load.ts could not be loaded (RuleExitError: called process.exit(0); rule files, rules and publishers must not end the process (throw an Error to report a problem)); fix the file; disabled until fixed: everything in rules/exits_on_load.ts',
      'warning: rules/exits_quietly.ts could not be loaded (it called process.exit and caught the RuleExitError that stopped it; rule files must not end the process); fix the file; disabled until fixed: everything in rules/exits_quietly.ts',
      'warning: rule exits_in_body failed on record 2: RuleExitError: called process.exit(0); rule files, rules and publishers must not end the process (throw an Error to report a problem)',
    ]);
    expect(delivered(dir).map((alert) => alert.rule_name).sort()).toEqual(['exits_in_body', 'exits_in_body', 'fires', 'fires', 'fires']);
    expect(run.stdout).toMatch(/rule errors\s+1 +\(exits_in_body: 1\)/);
    expect(lastLine(run.stdout)).toBe('1 rule error, 2 load problems: exit 1 (--allow-errors accepts them)');
  });
});
