import { rule } from 'streamalert';

export const duo_fraud = rule(
  { logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], description: 'A Duo login its user marked as fraud' },
  (rec) => rec.result === 'FRAUD',
);
