import { rule } from 'streamalert';

export const duo_new_device = rule(
  { logs: ['duo:authentication'], outputs: ['pagerduty:oncall'], staged: true },
  (rec) => rec.reason === 'new_device',
);
