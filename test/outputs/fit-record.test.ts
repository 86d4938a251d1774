import { describe, expect, it } from 'vitest';
import { fitRecord, jsonBytes, type TruncatedRecord } from '../../src/outputs/text/fit-record.ts';

const wrap = (record: unknown) => ({ data: { id: 'a1', record } });

describe('fitRecord', () => {
  it('keeps a record that fits as it is', () => {
    expect(fitRecord({ user: 'root' }, 1_000, wrap)).toEqual({ data: { id: 'a1', record: { user: 'root' } } });
  });

  it.each([
    ['plain text', 'v'],
    ['quotes and backslashes, which escaping doubles', '"\\'],
    ['control characters, which escaping makes six bytes', '\u0001'],
    ['multi-byte characters', 'é😀'],
  ])('cuts a record of %s to fit exactly within the limit, saying how large it was', (_, unit) => {
    const record = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, unit.repeat(100)]));
    const fitted = fitRecord(record, 10_000, wrap) as ReturnType<typeof wrap>;
    expect(jsonBytes(fitted)).toBeLessThanOrEqual(10_000);
    expect(jsonBytes(fitted)).toBeGreaterThan(9_000);
    const cut = fitted.data.record as TruncatedRecord;
    expect(cut.streamalert_truncated).toBe(true);
    expect(cut.original_bytes).toBe(Buffer.byteLength(JSON.stringify(record)));
    expect(JSON.stringify(record).startsWith(cut.json_prefix)).toBe(true);
  });

  it('fails as too_large when the rest of the body alone is over the limit', () => {
    expect(fitRecord({ a: 1 }, 20, (record) => ({ big: 'x'.repeat(50), record }))).toMatchObject({ kind: 'failed', reason: 'too_large' });
  });
});
