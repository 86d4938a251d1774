import { fetchValuesByDatatype, inNetwork, rule } from 'streamalert';

const OFFICE_NETWORKS = ['203.0.113.0/24', '2001:db8::/32'];

export const login_from_outside_the_office = rule(
  { datatypes: ['sourceAddress'], outputs: ['slack:sec-alerts'], description: 'A source address outside the office networks' },
  (rec) => fetchValuesByDatatype(rec, 'sourceAddress').some((ip) => !inNetwork(ip, OFFICE_NETWORKS)),
);
