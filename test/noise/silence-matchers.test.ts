import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import { newSilence, parseDuration } from '../../src/noise/new-silence.ts';
import { noiseOf } from '../../src/noise/settings.ts';
import { parseMatcher, silenceFor, silenceState } from '../../src/noise/silence.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import type { PipelineEvent } from '../../src/pipeline/events.ts';
import { streamalert } from '../support/cli.ts';
import { sampleAlert } from '../support/outputs.ts';
import { duoRecord, OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv, tempDir } from '../support/secrets.ts';

const T0 = Date.parse('2026-12-01T08:00:00Z');
const ROOT = join(import.meta.dirname, '..', '..');

/** A silence of `matchers` active from T0 for an hour. */
function silence(...matchers: string[]) {
  return newSilence({ matchers, for: '1h', comment: 'test', starts: new Date(T0).toISOString() }, 'alice', T0);
}

const alert = sampleAlert({ ruleName: 'duo_fraud', severity: 'warning', record: { user: { name: 'alice@example.com' }, count: 3, ok: true, tags: ['a'] }, context: { team: 'soc' }, created: new Date(T0 + 1_000) });

describe('silence matchers over the alert document', () => {
  it.each([
    [['rule_name=duo_fraud'], true],
    [['rule_name=duo'], false],
    [['rule_name=~duo_.*'], true],
    // Fully anchored, as Alertmanager's: a part of the value is not a match.
    [['rule_name=~duo'], false],
    [['rule_name=~.*fraud'], true],
    [['rule_name!=duo_fraud'], false],
    [['rule_name!~cloudtrail_.*'], true],
    [['record.user.name=alice@example.com', 'severity=warning', 'context.team=soc'], true],
    [['record.user.name=alice@example.com', 'severity=critical'], false],
    [['record.count=3', 'record.ok=true', 'record.tags=["a"]'], true],
    // A missing key reads as empty text.
    [['record.missing='], true],
    [['record.missing=~.+'], false],
    [['record.user.name.deeper='], true],
  ])('%j matches: %s', (matchers, expected) => {
    expect(silenceFor(alert, [silence(...matchers)]) !== undefined).toBe(expected);
  });

  it('refuses what a linear-time engine cannot run (backreferences, lookarounds), saying so, as Alertmanager does', () => {
    for (const regex of ['(a)\\1', 'a(?=b)', '(?<!x)a']) {
      expect(() => parseMatcher(`record.user=~${regex}`)).toThrow(/backreferences, lookaheads and lookbehinds are not supported, as in Alertmanager/);
    }
  });

  it('matches a regex that backtracks without end in a backtracking engine, and answers (in a child process: a hang is killed and fails the test)', () => {
    // (a+)+b against 'aaa…a!' takes 2^n steps to fail when backtracking: at n = 60, longer than the universe is old.
    const script = `
      import { newSilence } from '${pathToFileURL(join(ROOT, 'src/noise/new-silence.ts')).href}';
      import { silenceFor } from '${pathToFileURL(join(ROOT, 'src/noise/silence.ts')).href}';
      const silence = newSilence({ matchers: ['record.user=~(a+)+b', 'rule_name=duo_fraud'], for: '1h', comment: 'c' }, 'alice', Date.now());
      const miss = silenceFor({ ruleName: 'duo_fraud', record: { user: 'a'.repeat(60) + '!' }, outputs: [], created: new Date(), context: {}, publishers: {} }, [silence]);
      const hit = silenceFor({ ruleName: 'duo_fraud', record: { user: 'a'.repeat(60) + 'b' }, outputs: [], created: new Date(), context: {}, publishers: {} }, [silence]);
      console.log(JSON.stringify([miss === undefined, hit?.id === silence.id]));`;
    const file = join(tempDir(), 'match.mts');
    writeFileSync(file, script);
    const child = spawnSync(process.execPath, [join(ROOT, 'bin', 'run-ts.js'), file], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal, "the match did not end").toBeNull();
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual([true, true]);
  });

  it('applies only while the silence lasts, by the alert\'s creation time: starts inclusive, end exclusive', () => {
    const one = silence('rule_name=duo_fraud');
    expect(silenceState(one, T0 - 1)).toBe('pending');
    expect(silenceState(one, T0)).toBe('active');
    expect(silenceState(one, T0 + 3_600_000)).toBe('expired');
    expect(silenceFor({ ...alert, created: new Date(T0 - 1) }, [one])).toBeUndefined();
    expect(silenceFor({ ...alert, created: new Date(T0 + 3_600_000 - 1) }, [one])).toBe(one);
    expect(silenceFor({ ...alert, created: new Date(T0 + 3_600_000) }, [one])).toBeUndefined();
  });

  it.each([
    ['user', 'is not a matcher'],
    ['=alice', 'is not a matcher'],
    ['record user=alice', 'is not a matcher'],
    ['rule_name=~(', "the regex of matcher 'rule_name' does not compile"],
    [`record.user=${'x'.repeat(1_001)}`, 'longer than 1000 characters'],
    [`${'k'.repeat(201)}=v`, 'longer than 200 characters'],
  ])('refuses the matcher %s', (text, message) => {
    expect(() => parseMatcher(text)).toThrow(message);
  });

  it('parses durations and refuses what is not one, a start that is not a time, and an empty comment', () => {
    expect([parseDuration('90s'), parseDuration('30m'), parseDuration('2h'), parseDuration('1.5h'), parseDuration('7d')]).toEqual([90_000, 1_800_000, 7_200_000, 5_400_000, 604_800_000]);
    expect([parseDuration('2'), parseDuration('0s'), parseDuration('2w'), parseDuration('')]).toEqual([undefined, undefined, undefined, undefined]);
    expect(() => newSilence({ matchers: ['a=b'], for: '2 hours', comment: 'x' }, 'me', T0)).toThrow("'2 hours' is not a duration");
    expect(() => newSilence({ matchers: ['a=b'], for: '400d', comment: 'x' }, 'me', T0)).toThrow('at most 366 days');
    expect(() => newSilence({ matchers: ['a=b'], for: '1h', starts: 'tomorrow', comment: 'x' }, 'me', T0)).toThrow("'tomorrow' is not a start time");
    expect(() => newSilence({ matchers: ['a=b'], for: '1h', comment: '  ' }, 'me', T0)).toThrow('needs a comment');
  });
});

describe('silence add from the CLI', () => {
  it('refuses a bad matcher or duration with exit 2 and what to write, storing nothing', () => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS });
    const env = isolatedEnv();
    const bad = streamalert(['--project', dir, 'silence', 'add', '--match', 'rule_name', '--for', '2h', '--comment', 'x'], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("error: 'rule_name' is not a matcher: write KEY=VALUE, KEY!=VALUE, KEY=~REGEX or KEY!~REGEX");
    const noFor = streamalert(['--project', dir, 'silence', 'add', '--match', 'rule_name=x', '--comment', 'x'], { env });
    expect(noFor.status).toBe(2);
    expect(noFor.stderr).toContain("required option '--for <duration>' not specified");
    expect(streamalert(['--project', dir, 'silence', 'list', '--all'], { env }).stdout).toBe('No silences.\n');
    const unknown = streamalert(['--project', dir, 'silence', 'expire', 'nope'], { env });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no silence has the id nope (see 'streamalert silence list --all')");
  });
});

describe('the rules engine and dedup keys', () => {
  it("stamps each alert with its rule's dedup key; a dedup that throws is a rule error and the alert is counted under the rule's name", async () => {
    const events: PipelineEvent[] = [];
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      'rules/duo.ts': `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], threshold: 2, dedup: (rec) => { if (rec.user.name === 'bad') throw new Error('no key'); return rec.user.name; } }, (rec) => rec.result === 'fraud');
`,
    });
    const pipeline = await Pipeline.load(loadProject(dir), { onEvent: (event) => events.push(event) });
    const [good] = pipeline.process(duoRecord({ user: { name: 'alice@example.com' } }));
    expect(noiseOf(good!)).toEqual({ key: 'alice@example.com', dedup: { periodMs: 3_600_000, threshold: 2 } });
    const [bad] = pipeline.process(duoRecord({ user: { name: 'bad' } }));
    expect(noiseOf(bad!)!.key).toBe('duo_fraud');
    expect(events).toEqual([expect.objectContaining({ kind: 'rule-error', rule: 'duo_fraud', error: expect.stringContaining("dedup threw Error: no key; the alert is counted under the rule's name") })]);
  });
});
