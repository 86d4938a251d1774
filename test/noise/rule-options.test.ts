import { describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/classifier/schema.ts';
import { loadProject } from '../../src/config/project.ts';
import { loadRules } from '../../src/rules/loader.ts';
import { streamalert } from '../support/cli.ts';
import { OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

/** Loads a project whose rules/r.ts declares rule r with `options`, and rule other beside it. */
async function loadOne(options: string) {
  const dir = tempProject({
    ...SCHEMAS,
    ...OUTPUTS,
    'rules/r.ts': `import { rule } from 'streamalert';
export const r = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], ${options} }, () => true);
export const other = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => true);
`,
  });
  return loadRules({ dir, schemas: loadSchemas(dir).schemas, outputs: loadProject(dir).outputs });
}

describe('dedup, threshold and inhibition options on rules', () => {
  it('keeps them: the window in ms (fractions of a minute too), the threshold, and the rules inhibited, which are marked', async () => {
    const { rules, problems } = await loadOne("dedup: (rec) => rec.user, dedupPeriodMins: 0.5, threshold: 5, inhibits: ['other']");
    expect(problems).toEqual([]);
    const r = rules.find((rule) => rule.name === 'r')!;
    expect(r.noise).toMatchObject({ window: { periodMs: 30_000, threshold: 5 }, inhibits: { rules: ['other'], windowMs: 30_000 } });
    expect(typeof r.noise!.dedup).toBe('function');
    expect(rules.find((rule) => rule.name === 'other')!.noise).toEqual({ inhibited: true });
  });

  it("defaults as Panther does: a 60-minute period and a threshold of 1; inhibitWindowMins defaults to the period, else 60", async () => {
    expect((await loadOne('threshold: 3')).rules[0]!.noise).toEqual({ window: { periodMs: 3_600_000, threshold: 3 } });
    expect((await loadOne("inhibits: ['other']")).rules[0]!.noise).toEqual({ inhibits: { rules: ['other'], windowMs: 3_600_000 } });
    expect((await loadOne("inhibits: ['other'], inhibitWindowMins: 5")).rules[0]!.noise).toEqual({ inhibits: { rules: ['other'], windowMs: 300_000 } });
    // A rule that sets none of them dedups nothing: its alerts are sent as before.
    expect((await loadOne('')).rules[0]!.noise).toBeUndefined();
  });

  it.each([
    ["dedup: 'user'", 'dedup must be a function'],
    ['dedupPeriodMins: 0', 'dedupPeriodMins must be a number of minutes'],
    ['dedupPeriodMins: 20000', 'dedupPeriodMins must be a number of minutes'],
    ['threshold: 0', 'threshold must be a whole number from 1'],
    ['threshold: 2.5', 'threshold must be a whole number from 1'],
    ["inhibits: 'other'", 'inhibits must be a list of rule names'],
    ['inhibits: []', 'inhibits must be a list of rule names'],
    ["inhibits: ['r']", 'a rule cannot inhibit itself'],
    ['inhibitWindowMins: 5', 'inhibitWindowMins needs inhibits'],
    ["inhibits: ['nope']", "inhibits 'nope', which is not a loaded rule"],
    ["threshold: 2, mergeByKeys: ['user'], mergeWindowMins: 1", 'a rule either merges (mergeByKeys) or dedups'],
  ])('refuses %s, naming the rule and what is wrong', async (options, message) => {
    const { rules, problems } = await loadOne(options);
    expect(rules.map((rule) => rule.name)).toEqual(['other']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('rules/r.ts: rule r: ');
    expect(problems[0]!.message).toContain(message);
  });

  it('rules check knows their types: a dedup key that is not text and a threshold given as text are type errors', () => {
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      'rules/r.ts': `import { rule } from 'streamalert';
export const r = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], dedup: (rec) => rec.user.name, threshold: 5, inhibits: ['other'] }, () => true);
export const bad = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], dedup: (rec: { n: number }) => rec.n, threshold: '5' }, () => true);
`,
    });
    const check = streamalert(['--project', dir, 'rules', 'check'], { env: isolatedEnv() });
    expect(check.stdout).toMatch(/rules\/r.ts:3:\d+ error TS2322: .*Type 'number' is not assignable to type 'string'/);
    expect(check.stdout).toMatch(/rules\/r.ts:3:\d+ error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(check.stdout).not.toContain('rules/r.ts:2:');
    expect(check.status).toBe(1);
  });
});
