import type { Alert } from '../alerts/alert.ts';
import { serializeAlert } from './serialize.ts';

/** The sort key of an alert's own item in the alerts table; its deliveries' items use output names. */
export const ALERT_ITEM = '#alert';

/** The alert's own item, beside its deliveries' items, for every alert the store saves. */
export function alertItem(alert: Alert): Record<string, unknown> {
  return { alert_id: alert.id, output: ALERT_ITEM, rule_name: alert.ruleName, created: alert.created.toISOString(), alert: serializeAlert(alert) };
}
