import type { Alert } from '../../alerts/alert.ts';
import { failed, type Failed } from '../result.ts';
import { truncateText } from '../text/alert-text.ts';

/** The ban's note, our bound: CB Response documents none. */
export const BAN_TEXT_CHARS = 1_024;

const MD5 = /^[0-9a-f]{32}$/i;

/** The body of POST /api/v1/banning/blacklist: a hash to ban, enabled, with a note saying why. */
export interface BannedHash {
  md5hash: string;
  text: string;
  enabled: true;
}

/**
 * The ban an alert asks for, read as StreamAlert reads it: the rule's `context.carbonblack`,
 * `{ action: 'ban', value: '<md5>' }`, which a rule fills in from the record it matched. An
 * alert without it, another action, or a value that is not an MD5 is a configuration failure:
 * retrying the same alert cannot help, and nothing is banned.
 *
 * @example
 *   // a rule: context: { carbonblack: { action: 'ban', value: '' } },
 *   //         (rec, context) => { context.carbonblack.value = rec.md5; return rec.verdict === 'malware'; }
 *   banFor(alert) // { md5hash: '7fb55f5a...', text: 'Banned by StreamAlert: rule ...', enabled: true }
 */
export function banFor(alert: Alert): BannedHash | Failed {
  const context = alert.context.carbonblack;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    return failed('config', `the alert of rule ${alert.ruleName} has no carbonblack context: a rule sending to carbonblack must set context.carbonblack = { action: 'ban', value: '<md5 of the binary>' }`);
  }
  const { action, value } = context as Record<string, unknown>;
  if (action !== 'ban') {
    return failed('config', `context.carbonblack.action of rule ${alert.ruleName} is ${JSON.stringify(action) ?? 'missing'}: the only action supported is 'ban'`);
  }
  if (typeof value !== 'string' || !MD5.test(value)) {
    return failed('config', `context.carbonblack.value of rule ${alert.ruleName} is not the MD5 of a binary (32 hexadecimal digits)`);
  }
  return {
    md5hash: value.toLowerCase(),
    text: truncateText(`Banned by StreamAlert: rule ${alert.ruleName}, alert ${alert.id}`, BAN_TEXT_CHARS),
    enabled: true,
  };
}
