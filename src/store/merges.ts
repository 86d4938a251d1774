import type { Alert } from '../alerts/alert.ts';

/**
 * At most this many alerts merge into one (StreamAlert's MAX_ALERTS_PER_GROUP): the merged
 * record stays a size outputs take, and a DynamoDB transaction holds a window's close. The
 * alerts after it open the next window.
 */
export const MAX_ALERTS_PER_MERGE = 50;

/** Where an alert held for merging stands (`alerts list`, `alerts show`). */
export interface MergeMembership {
  /** The window it was held in. */
  readonly windowId: string;
  /** Epoch ms the window closes (closed) and its merged alert is made. */
  readonly closesAt: number;
  /** The merged alert's id, once the window closed; absent while it is open, or when it closed with nothing to send. */
  readonly mergedInto?: string;
  readonly closed: boolean;
  /** The window's first alert of a `mergeSendFirst` rule: it was also sent on its own. */
  readonly sentAlone: boolean;
}

/** The windows still open, and when the next one closes. */
export interface OpenMerges {
  readonly count: number;
  readonly nextClosesAt?: number;
}

/**
 * Makes the alert sent for a closed window from the alerts it held, oldest first; undefined
 * closes it without one (a `mergeSendFirst` window that held only the alert already sent).
 */
export type BuildMergedAlert = (members: readonly Alert[]) => Alert | undefined;
