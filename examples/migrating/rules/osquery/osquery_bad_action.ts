import { rule } from 'streamalert';

export const osquery_bad_action = rule(
  { logs: ['osquery:differential'], outputs: ['slack:sec-alerts'], disabled: true },
  (rec) => rec.columns.bad_action === '1',
);
