import { describe, expect, it } from 'vitest';
import { getService } from '../../src/outputs/registry.ts';
import '../support/outputs.ts';

// pagerduty-v2 is StreamAlert's id for the Events API v2 output that `pagerduty` already is:
// https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
describe('pagerduty-v2', () => {
  it("is the pagerduty output under StreamAlert's id: the same properties, limits and event", () => {
    const v2 = getService('pagerduty-v2');
    const pagerduty = getService('pagerduty');
    expect(v2).not.toBe(pagerduty);
    expect(Object.getPrototypeOf(v2)).toBe(pagerduty);
    expect(v2.properties).toBe(pagerduty.properties);
    expect(v2.limits).toBe(pagerduty.limits);
    expect(Object.keys(v2.properties)).toEqual(['descriptor', 'routing_key', 'url']);
  });
});
