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
