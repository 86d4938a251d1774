import type { Alert } from '../alerts/alert.ts';
import type { MergeMembership } from '../store/merges.ts';
import { mergedIdsOf } from './settings.ts';

/**
 * Why an alert of a merging rule was not sent on its own, or what a merged alert stands for,
 * as `alerts list` and `alerts show` print it; undefined for any other alert.
 *
 * @example
 *   describeMerge(alert, membership, Date.now())
 *   // 'held for merging: merged into 019ad9f2-... (sent with the window's merged alert, not on its own)'
 */
export function describeMerge(alert: Alert, membership: MergeMembership | undefined, now: number): string | undefined {
  const mergeOf = mergedIdsOf(alert);
  if (mergeOf) return `merged alert: stands for ${mergeOf.length} alert${mergeOf.length === 1 ? '' : 's'} of one merge window (see its record's AlertCount and ValueDiffs)`;
  if (!membership) return undefined;
  const alone = membership.sentAlone ? "sent on its own as its window's first alert (mergeSendFirst), and " : 'not sent on its own: ';
  if (membership.mergedInto) return `held for merging: ${alone}merged into ${membership.mergedInto}`;
  if (membership.closed) return `held for merging: ${alone}its window closed with nothing more to send`;
  const seconds = Math.max(0, Math.ceil((membership.closesAt - now) / 1000));
  return `held for merging: ${alone}waits in its merge window, which closes at ${new Date(membership.closesAt).toISOString()} (in ${seconds} s)`;
}

/** The same for `--json`: snake_case fields to add to the alert's object. */
export function mergeJson(alert: Alert, membership: MergeMembership | undefined): Record<string, unknown> {
  const mergeOf = mergedIdsOf(alert);
  if (mergeOf) return { merge_of: [...mergeOf] };
  if (!membership) return {};
  return {
    merge: {
      window_closes_at: new Date(membership.closesAt).toISOString(),
      closed: membership.closed,
      sent_alone: membership.sentAlone,
      ...(membership.mergedInto !== undefined && { merged_into: membership.mergedInto }),
    },
  };
}
