import { rule } from 'streamalert';

export const duo_repeated_denials = rule(
  { logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], mergeByKeys: ['user'], mergeWindowMins: 30 },
  (rec) => rec.result === 'DENIED',
);
