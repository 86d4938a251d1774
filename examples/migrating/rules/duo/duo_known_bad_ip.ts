import { rule, threatIntel } from 'streamalert';

export const duo_known_bad_ip = rule(
  { logs: ['duo:authentication'], outputs: ['pagerduty:oncall'] },
  (rec) => threatIntel.matches(rec, 'ip'),
);
