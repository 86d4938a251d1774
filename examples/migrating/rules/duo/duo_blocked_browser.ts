import { lookupTable, rule } from 'streamalert';

export const duo_blocked_browser = rule(
  { logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] },
  (rec) => lookupTable('duo-lists').get<string[]>('blocked_browsers', []).includes(rec.access_device.browser),
);
