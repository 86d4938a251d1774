import { rule } from 'streamalert';

export const osquery_new_authorized_key = rule(
  { logs: ['osquery:differential'], matchers: ['OsqueryMatcher.added'], outputs: ['slack:sec-alerts'] },
  (rec) => rec.name === 'authorized_keys',
);
