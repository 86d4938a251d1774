import { createAlert, type Alert } from '../alerts/alert.ts';
import type { DispatchResult } from '../outputs/result.ts';

/** The rule name of dead-letter notices: not a rule of the project, so it can never clash with one. */
export const DEAD_LETTER_RULE = 'streamalert:dead_letter';

export interface DeadLetter {
  /** The alert whose delivery was given up. */
  readonly alert: Alert;
  readonly output: string;
  readonly result: DispatchResult;
  readonly attempts: number;
  /** The fallback output the alert went to instead, if any. */
  readonly fallback?: string | undefined;
  /** Where the notice goes (`deadLetterOutput`). */
  readonly to: string;
}

/**
 * The notice sent to `deadLetterOutput` for a dead letter: an alert of its own, so it is stored
 * and delivered (and retried) like any other, and a person hears of every alert given up.
 *
 * @example
 *   await store.save([deadLetterNotice({ alert, output: 'slack:sec', result, attempts: 7, to: 'file:dead-letters' })]);
 */
export function deadLetterNotice({ alert, output, result, attempts, fallback, to }: DeadLetter): Alert {
  const reason = result.kind === 'delivered' ? 'delivered' : `${result.reason}: ${result.message}`;
  return createAlert({
    ruleName: DEAD_LETTER_RULE,
    ruleDescription: `StreamAlert gave up delivering an alert of rule ${alert.ruleName} to ${output}${fallback ? ` (sent to ${fallback} instead)` : ''}; replay it with 'streamalert alerts retry ${alert.id}'`,
    record: {
      alert_id: alert.id,
      rule_name: alert.ruleName,
      output,
      reason,
      attempts,
      alert_created: alert.created.toISOString(),
      ...(fallback && { fallback }),
    },
    outputs: [to],
    logSource: 'streamalert',
    logType: 'json',
    severity: 'error',
  });
}

/** Whether an alert is a dead-letter notice (whose own dead letter raises no further notice). */
export function isDeadLetterNotice(alert: Alert): boolean {
  return alert.ruleName === DEAD_LETTER_RULE;
}
