import { createAlert, streamAlertTime, type Alert } from '../alerts/alert.ts';
import type { NoisyAlert } from './settings.ts';

/** A dedup window as it closes: what its update alert reports. */
export interface ClosedDedupWindow {
  readonly ruleName: string;
  readonly key: string;
  readonly periodMs: number;
  /** Alerts counted in the window, and how many when the sent one was sent. */
  readonly count: number;
  readonly sentCount: number;
  /** Epoch ms of its first and last alert. */
  readonly firstAt: number;
  readonly lastAt: number;
}

/**
 * The one update a dedup window's outputs get when it closes and more alerts came after the one
 * sent: "N more alerts of RULE for KEY in the last P minutes", to the sent alert's outputs,
 * marked `updateOf` so slack-bot replies in the sent message's thread. Undefined when nothing
 * came after it.
 *
 * @example
 *   dedupUpdateAlert({ ruleName: 'duo_fraud', key: 'alice', periodMs: 3600000, count: 100, sentCount: 1, firstAt, lastAt }, sent)?.record.message
 *   // '99 more alerts of duo_fraud for alice in the last 60 minutes'
 */
export function dedupUpdateAlert(window: ClosedDedupWindow, sent: Alert, now = new Date()): Alert | undefined {
  const more = window.count - window.sentCount;
  if (more <= 0) return undefined;
  const minutes = Number((window.periodMs / 60_000).toFixed(2));
  const update: NoisyAlert = {
    ...createAlert({
      ruleName: sent.ruleName,
      ruleDescription: sent.ruleDescription,
      record: {
        message: `${more} more alert${more === 1 ? '' : 's'} of ${sent.ruleName} for ${window.key} in the last ${minutes} minute${minutes === 1 ? '' : 's'}`,
        DedupKey: window.key,
        MoreAlerts: more,
        AlertCount: window.count,
        AlertTimeFirst: streamAlertTime(new Date(window.firstAt)),
        AlertTimeLast: streamAlertTime(new Date(window.lastAt)),
        DedupPeriodMins: minutes,
        SentAlert: sent.id,
      },
      outputs: sent.outputs,
      created: now,
      logSource: sent.logSource,
      logType: sent.logType,
      severity: sent.severity,
      context: sent.context,
      cluster: sent.cluster,
      sourceEntity: sent.sourceEntity,
      sourceService: sent.sourceService,
      staged: sent.staged,
    }),
    updateOf: sent.id,
  };
  return update;
}
