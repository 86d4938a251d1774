import type { Alert } from '../alerts/alert.ts';
import { suppressionOf } from '../noise/settings.ts';
import { serializeAlert } from './serialize.ts';

/** The sort key of an alert's own item in the alerts table; its deliveries' items use output names. */
export const ALERT_ITEM = '#alert';

/** The attribute DynamoDB's TTL deletes items by, in epoch seconds: set on a finished alert's items (dynamodb-expiry.ts), enabled by the deployed table. */
export const EXPIRES_AT = 'expires_at';

/** The alert's own item, beside its deliveries' items, for every alert the store saves; a suppressed one's reason in `suppressed` (`alerts list --status`). */
export function alertItem(alert: Alert): Record<string, unknown> {
  const suppression = suppressionOf(alert);
  return {
    alert_id: alert.id,
    output: ALERT_ITEM,
    rule_name: alert.ruleName,
    created: alert.created.toISOString(),
    alert: serializeAlert(alert),
    ...(suppression && { suppressed: suppression.reason }),
  };
}

/** Builds the item of a new delivery of `alertId` to `output`, due at `now` (the store's own, with its condition). */
export type NewDeliveryPut = (alertId: string, output: string, now: number) => { TableName: string; Item: Record<string, unknown>; ConditionExpression: string };

/**
 * The writes that store an alert the store makes itself (a merged alert, a dedup window's update)
 * with a delivery to each of its outputs, due at its creation; each only if not written yet, so
 * the transaction that closes its window does so once.
 */
export function newAlertPuts(table: string, alert: Alert, newDelivery: NewDeliveryPut) {
  return [
    { Put: { TableName: table, Item: alertItem(alert), ConditionExpression: 'attribute_not_exists(alert_id)' } },
    ...deliveryPuts(alert, alert.created.getTime(), newDelivery),
  ];
}

/**
 * The write that names the open window of a rule and key (a merge window, a dedup window):
 * `window`, closing at `closesAt` and expiring with it. Conditional on the pointer being as it
 * was read (`seen`, the window it named, or none): another process may have opened a window
 * meanwhile, and then the alert goes to that one.
 */
export function openWindowPut(table: string, pointerKey: Record<string, string>, window: { id: string; closesAt: number; expiresAt: number }, seen: string | undefined) {
  return {
    Put: {
      TableName: table,
      Item: { ...pointerKey, window_id: window.id, closes_at: window.closesAt, [EXPIRES_AT]: window.expiresAt },
      ConditionExpression: seen === undefined ? 'attribute_not_exists(alert_id)' : 'window_id = :seen',
      ...(seen !== undefined && { ExpressionAttributeValues: { ':seen': seen } }),
    },
  };
}

/** A new delivery of `alert` to each of its outputs, due at `dueAt`. */
export function deliveryPuts(alert: Alert, dueAt: number, newDelivery: NewDeliveryPut) {
  return [...new Set(alert.outputs)].map((output) => ({ Put: newDelivery(alert.id, output, dueAt) }));
}
