// `npm start`: the whole pipeline on the quickstart project, embedded, no cloud account needed.
// Sample records -> classifier -> rules -> alerts -> outputs (local files), then a summary and
// what to try next. It calls the real CLI, exactly as `streamalert run` would.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { columns } from '../src/cli/format/columns.ts';
import { main } from '../src/cli/main.ts';

const project = join(import.meta.dirname, '..', 'examples', 'quickstart');
const shown = (path: string) => relative(process.cwd(), path) || '.';
const samples = readdirSync(join(project, 'samples')).map((name) => shown(join(project, 'samples', name)));

console.log(`StreamAlert quickstart: ${shown(project)} (embedded: local secrets, local file outputs)\n`);
const code = await main(['node', 'streamalert', '--project', project, 'run', '--input', ...samples]);

const cli = `npx streamalert --project ${shown(project)}`;
console.log('\nWhere the alerts went:');
console.log(
  columns([
    [shown(join(project, '.streamalert', 'alerts.jsonl')), 'every alert (file:alerts, the local audit trail)'],
    [shown(join(project, '.streamalert', 'pages.jsonl')), 'fraud against an admin (file:pages, a dynamic output)'],
  ]),
);
console.log('\nWhat to try next:');
console.log(
  columns([
    [`${cli} rules test`, "run the rules' test events"],
    [`${cli} output new --service slack`, 'send alerts to Slack (prompts; the URL is stored encrypted)'],
    [`${cli} output test slack:<descriptor>`, "check it works, then add 'slack:<descriptor>' to a rule's outputs"],
    ['npx streamalert output services', 'every output service and its settings'],
  ]),
);
console.log('  Docs: README.md, docs/rules.md, docs/outputs/README.md, docs/credentials.md');
process.exitCode = code;
