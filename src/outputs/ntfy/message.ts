import type { Severity } from '../../alerts/alert.ts';
import type { AlertText } from '../text/alert-text.ts';
import { alertBody, alertTitle } from '../text/notification.ts';

/**
 * ntfy's message limit: 4,096 bytes by default (`message-size-limit`); a longer body is turned
 * into an attachment file, or refused where attachments are off, so we keep alerts under it.
 * https://docs.ntfy.sh/publish/#limitations
 */
export const NTFY_LIMITS = {
  messageBytes: 4096,
  /** Our choice: ntfy documents no title limit; a phone shows one line of it. */
  titleChars: 256,
} as const;

/**
 * Severity as ntfy's priorities (https://docs.ntfy.sh/publish/#message-priority): critical is
 * 5 (max: long vibration bursts, a pop-over), error 4 (high), warning 3 (default), info 2 (low:
 * no sound or vibration).
 */
const PRIORITY: Record<Severity, number> = { critical: 5, error: 4, warning: 3, info: 2 };

/** A tag per severity that ntfy shows as an emoji before the title (https://docs.ntfy.sh/emojis/). */
const SEVERITY_TAG: Record<Severity, string> = { critical: 'rotating_light', error: 'red_circle', warning: 'warning', info: 'information_source' };

/** The JSON shape of the body built here, for readers of it (tests). */
export interface NtfyMessage {
  topic: string;
  title: string;
  message: string;
  priority: number;
  tags: string[];
}

/**
 * One alert as one ntfy message, published as JSON to the server's root: the rule as the title,
 * the rule's description, the record in plain text (ntfy shows Markdown only when asked) and
 * the alert id as the message, within 4,096 bytes.
 * https://docs.ntfy.sh/publish/#publish-as-json
 */
export function buildNtfyMessage(topic: string, view: AlertText, severity: Severity): NtfyMessage {
  return {
    topic,
    title: alertTitle(view, NTFY_LIMITS.titleChars),
    message: alertBody(view, { max: NTFY_LIMITS.messageBytes, unit: 'bytes' }),
    priority: PRIORITY[severity],
    tags: [SEVERITY_TAG[severity], 'streamalert'],
  };
}
