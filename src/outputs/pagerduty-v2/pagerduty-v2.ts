import { PagerDutyOutput } from '../pagerduty/pagerduty.ts';
import { output } from '../registry.ts';

/**
 * StreamAlert's `pagerduty-v2`: a trigger event of PagerDuty's Events API v2 per alert, with an
 * integration's routing key. Our `pagerduty` already is exactly that (StreamAlert's `pagerduty`
 * spoke Events API v1, which PagerDuty has retired), so this is the same output under
 * StreamAlert's id: rules and configurations that name `pagerduty-v2:<descriptor>` keep working,
 * with the same properties (`routing_key`, `url`), the same event (dedup_key = the alert id;
 * StreamAlert's `@pagerduty-v2.*` publisher fields) and the same answers.
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 */
@output
export class PagerDutyV2Output extends PagerDutyOutput {
  static override readonly service = 'pagerduty-v2';
  static override readonly displayName = 'PagerDuty (Events API v2)';
}
