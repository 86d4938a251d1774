import { describe, expect, it } from 'vitest';
import { computeCommon, computeDiff, mergedAlert } from '../../src/merge/merged-alert.ts';
import { mergeSettingsFor } from '../../src/merge/rule-settings.ts';
import { sampleAlert } from '../support/outputs.ts';
import type { Alert } from '../../src/alerts/alert.ts';

const T0 = Date.parse('2026-11-28T08:00:00.123Z');

function alertOf(record: Record<string, unknown>, atMs: number, fields: Partial<Alert> = {}): Alert {
  return sampleAlert({ record, created: new Date(T0 + atMs), merge: mergeSettingsFor({ mergeByKeys: ['key'], mergeWindowMins: 5 }, record), ...fields } as Partial<Alert>);
}

describe("StreamAlert's merge of alerts", () => {
  it("finds what every record shares, nested objects part by part (StreamAlert's _compute_common example)", () => {
    expect(computeCommon([{ abc: 123, nested: { A: 1, B: 2 } }, { abc: 123, def: 456, nested: { A: 1 } }])).toEqual({ abc: 123, nested: { A: 1 } });
    expect(computeCommon([{ a: [1, 2] }, { a: [1, 2] }, { a: [2, 1] }])).toEqual({});
    expect(computeCommon([{ a: { x: 1 } }, { a: 'text' }])).toEqual({});
  });

  it("finds what a record adds to the common part (StreamAlert's _compute_diff example)", () => {
    expect(computeDiff({ abc: 123, nested: { A: 1 } }, { abc: 123, nested: { A: 1, B: 2 } })).toEqual({ nested: { B: 2 } });
    expect(computeDiff({}, { a: 1 })).toEqual({ a: 1 });
  });

  it('makes the merged record: count, first and last times, MergedBy, OtherCommonKeys, ValueDiffs, the merge keys left out at every level', () => {
    const alerts = [
      alertOf({ key: 'K', user: 'alice', info: { key: 'K', app: 'vpn', n: 1 } }, 2_000),
      alertOf({ key: 'K', user: 'alice', info: { app: 'vpn', n: 2 } }, 0, { outputs: ['slack:old'] }),
      alertOf({ key: 'K', user: 'alice', info: { app: 'vpn', n: 3 }, extra: true }, 1_000, { staged: true }),
    ];
    const merged = mergedAlert(alerts, new Date(T0 + 60_000));
    expect(merged.record).toEqual({
      AlertCount: 3,
      AlertTimeFirst: '2026-11-28T08:00:00.123000Z',
      AlertTimeLast: '2026-11-28T08:00:02.123000Z',
      MergedBy: { key: 'K' },
      OtherCommonKeys: { user: 'alice', info: { app: 'vpn' } },
      ValueDiffs: {
        '2026-11-28T08:00:00.123000Z': { info: { n: 2 } },
        '2026-11-28T08:00:01.123000Z': { info: { n: 3 }, extra: true },
        '2026-11-28T08:00:02.123000Z': { info: { n: 1 } },
      },
    });
    // The outputs of the most recent alert, staged when any was, and a fresh id and time.
    expect(merged).toMatchObject({ outputs: alerts[0]!.outputs, staged: true, created: new Date(T0 + 60_000), ruleName: alerts[1]!.ruleName });
    expect(merged.id).not.toBe(alerts[0]!.id);
    expect((merged as { mergeOf?: string[] }).mergeOf).toEqual([alerts[1]!.id, alerts[2]!.id, alerts[0]!.id]);
    expect((merged as { merge?: unknown }).merge).toBeUndefined();
  });

  it("says '(n/a)' for a merge key the records lack, which merge with each other", () => {
    const [a, b] = [alertOf({ other: 1 }, 0), alertOf({ other: 1, more: 2 }, 1)];
    expect((a as { merge?: { key: string } }).merge!.key).toBe((b as { merge?: { key: string } }).merge!.key);
    expect(mergedAlert([a, b]).record).toMatchObject({ MergedBy: { key: '(n/a)' }, OtherCommonKeys: { other: 1 } });
  });

  it('keys alerts by the values of their merge keys found at any depth, object keys in any order', () => {
    const rule = { mergeByKeys: ['user', 'host'], mergeWindowMins: 1 };
    const one = mergeSettingsFor(rule, { detail: { user: { name: 'a', id: 1 } }, host: 'h' })!;
    const two = mergeSettingsFor(rule, { host: 'h', detail: { user: { id: 1, name: 'a' } } })!;
    expect(one.key).toBe(two.key);
    expect(mergeSettingsFor(rule, { detail: { user: { name: 'b', id: 1 } }, host: 'h' })!.key).not.toBe(one.key);
    expect(one).toMatchObject({ byKeys: ['host', 'user'], windowMs: 60_000, sendFirst: false });
    // As StreamAlert's merge_enabled: keys and a window both.
    expect(mergeSettingsFor({ mergeByKeys: ['user'] }, {})).toBeUndefined();
    expect(mergeSettingsFor({ mergeByKeys: [], mergeWindowMins: 5 }, {})).toBeUndefined();
  });
});
