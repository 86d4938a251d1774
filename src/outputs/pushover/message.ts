import type { Alert, Severity } from '../../alerts/alert.ts';
import type { AlertText } from '../text/alert-text.ts';
import { alertBody, alertTitle } from '../text/notification.ts';

/**
 * The Messages API's limits: a message of up to 1,024 characters and a title of up to 250.
 * https://pushover.net/api#limits
 */
export const PUSHOVER_LIMITS = {
  messageChars: 1024,
  titleChars: 250,
  /** Our choice: the record keeps at least half of a short message. */
  ruleDescriptionChars: 256,
} as const;

/**
 * Severity as Pushover's priorities (https://pushover.net/api#priority): critical is 1 (high:
 * sounds even in the user's quiet hours), error and warning 0 (normal), info -1 (low: no sound
 * or vibration). Never 2 (emergency): it repeats until acknowledged, which needs retry and
 * expire settings and a receipt to cancel, a policy for an on-call tool to own.
 */
const PRIORITY: Record<Severity, number> = { critical: 1, error: 0, warning: 0, info: -1 };

/** The JSON shape of the body built here, for readers of it (tests). */
export interface PushoverMessage {
  token: string;
  user: string;
  title: string;
  message: string;
  priority: number;
  timestamp: number;
}

/**
 * One alert as one Messages API call: the rule as the title, the rule's description, the record
 * in plain text and the alert id as the message (1,024 characters), shown at the alert's time.
 * https://pushover.net/api#messages
 */
export function buildPushoverMessage(credentials: { token: string; user: string }, view: AlertText, alert: Pick<Alert, 'severity' | 'created'>): PushoverMessage {
  return {
    ...credentials,
    title: alertTitle(view, PUSHOVER_LIMITS.titleChars),
    message: alertBody(view, { max: PUSHOVER_LIMITS.messageChars, unit: 'characters' }, { descriptionChars: PUSHOVER_LIMITS.ruleDescriptionChars }),
    priority: PRIORITY[alert.severity],
    timestamp: Math.floor(alert.created.getTime() / 1000),
  };
}
