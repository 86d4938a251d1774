import { createHash } from 'node:crypto';
import type { AlertIds } from '../../rules/engine.ts';
import type { InputIdentity } from './batch-item.ts';

/**
 * Alert ids derived from the input's identity (what AWS names it by, and when AWS had it), the
 * record's place in it and the rule: UUIDs laid out as version 7 (RFC 9562), the first 48 bits
 * that time in ms, the other 74 from SHA-256 of the rest instead of random. Lambda retries a
 * failed batch (and re-reads a Kinesis shard from the first failed record on, successes after
 * it included): the alerts raised again keep their ids, and the store saves each alert once.
 *
 * @example
 *   alertIdsFor({ key: 'kinesis arn:aws:kinesis:...:stream/trail 4959... 0', at: 1545084650987 }).idFor(position, 'root_login')
 */
export function alertIdsFor(identity: InputIdentity): AlertIds {
  const time = Math.max(0, Math.floor(identity.at)).toString(16).padStart(12, '0').slice(-12);
  return {
    idFor({ ordinal, index }, ruleName) {
      const hash = createHash('sha256').update(`${identity.key}\n${ordinal}\n${index}\n${ruleName}`).digest('hex');
      // The variant's two bits (10) and 62 more: one hex digit 8-b, then 15.
      const variant = ((Number.parseInt(hash[3]!, 16) & 0x3) | 0x8).toString(16);
      return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hash.slice(0, 3)}-${variant}${hash.slice(4, 7)}-${hash.slice(7, 19)}`;
    },
  };
}
