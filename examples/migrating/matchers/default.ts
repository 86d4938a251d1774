import { matcher } from 'streamalert';

matcher('OsqueryMatcher.added', { logs: ['osquery:differential'] }, (rec) => rec.action === 'added');
