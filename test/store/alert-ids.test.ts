import { describe, expect, it } from 'vitest';
import { createAlert, timeOrderedUuid } from '../../src/alerts/alert.ts';

// The alert store's indexes on alert ids grow at one end only if ids sort in the order they are made.
describe('alert ids', () => {
  it('are UUIDs, version 7 (RFC 9562), whose first 48 bits are the time they were made', () => {
    const at = Date.parse('2026-12-01T10:00:00.123Z');
    const id = timeOrderedUuid(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(at);
    expect(createAlert({ ruleName: 'r', record: {} }).id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('sort in the order they were made, and differ when made in the same millisecond', () => {
    const at = Date.parse('2026-12-01T10:00:00Z');
    const ids = [0, 1, 2, 1_000, 86_400_000].map((offset) => timeOrderedUuid(at + offset));
    expect([...ids].sort()).toEqual(ids);
    const same = Array.from({ length: 1_000 }, () => timeOrderedUuid(at));
    expect(new Set(same).size).toBe(1_000);
  });
});
