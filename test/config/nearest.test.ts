import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../src/config/nearest.ts';

describe('the nearest valid name to a typo', () => {
  it.each([
    ['delivry', 'delivery', 1],
    ['pagerdty', 'pagerduty', 1],
    ['maxAttmepts', 'maxAttempts', 1],
    ['slack', 'slack', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s -> %s takes %i edits (a swap of neighbours is one)', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  it('suggests the closest candidate when the slip is small, ignoring case, and nothing otherwise', () => {
    expect(nearest('pagerdty', ['slack', 'pagerduty', 'phantom'])).toBe('pagerduty');
    expect(nearest('Delivery', ['account', 'delivery'])).toBe('delivery');
    expect(nearest('teams', ['slack', 'pagerduty'])).toBeUndefined();
    expect(nearest('x', [])).toBeUndefined();
  });
});
