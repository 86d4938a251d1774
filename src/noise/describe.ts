import type { Alert } from '../alerts/alert.ts';
import { suppressionOf, updateOf } from './settings.ts';

/**
 * Why an alert was stored and not sent, or what a dedup update stands for, as `alerts list` and
 * `alerts show` print it; undefined for any other alert.
 *
 * @example
 *   describeSuppression(alert)  // 'not sent: deduplicated onto 019ad9f2-...'
 */
export function describeSuppression(alert: Alert): string | undefined {
  const sent = updateOf(alert);
  if (sent !== undefined) return `dedup update: the alerts counted onto ${sent} after it was sent (see its record's message)`;
  const suppression = suppressionOf(alert);
  if (!suppression) return undefined;
  switch (suppression.reason) {
    case 'silenced':
      return `not sent: silenced by ${suppression.silenceId} ('streamalert silence list')`;
    case 'below_threshold':
      return `not sent: below threshold (counted in dedup window ${suppression.windowId})`;
    case 'deduplicated':
      return `not sent: deduplicated onto ${suppression.onto}`;
    case 'inhibited':
      return `not sent: inhibited by ${suppression.byRule}`;
  }
}

/** The same for `--json`: snake_case fields to add to the alert's object. */
export function suppressionJson(alert: Alert): Record<string, unknown> {
  const sent = updateOf(alert);
  if (sent !== undefined) return { update_of: sent };
  const suppression = suppressionOf(alert);
  if (!suppression) return {};
  const { reason, silenceId, windowId, onto, byRule } = suppression;
  return {
    suppressed: {
      reason,
      ...(silenceId !== undefined && { silence_id: silenceId }),
      ...(windowId !== undefined && { window_id: windowId }),
      ...(onto !== undefined && { onto }),
      ...(byRule !== undefined && { by_rule: byRule }),
    },
  };
}
