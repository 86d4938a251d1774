// `npm start`: the whole pipeline on the quickstart project, embedded, no cloud account needed.
// Sample records -> classifier -> rules -> alerts -> outputs (local files), then a summary and
// what to try next. It calls the real CLI, exactly as `streamalert run` would.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { main } from '../src/cli/main.ts';

const project = join(import.meta.dirname, '..', 'examples', 'quickstart');
const shown = (path: string) => relative(process.cwd(), path) || '.';
const samples = readdirSync(join(project, 'samples')).map((name) => shown(join(project, 'samples', name)));

console.log(`StreamAlert quickstart: ${shown(project)} (embedded: local secrets, local file outputs)\n`);
const code = await main(['node', 'streamalert', '--project', project, 'run', '--input', ...samples]);

const cli = 'npx streamalert';
console.log(`
Where the alerts went:
  ${shown(join(project, '.streamalert', 'alerts.jsonl'))}   every alert (file:alerts, the local audit trail)
  ${shown(join(project, '.streamalert', 'pages.jsonl'))}    fraud against an admin (file:pages, a dynamic output)

What to try next:
  ${cli} --project ${shown(project)} rules test                         run the rules' test events
  ${cli} --project ${shown(project)} output new --service slack         send alerts to Slack (prompts; the URL is stored encrypted)
  ${cli} --project ${shown(project)} output test slack:<descriptor>     check it works, then add 'slack:<descriptor>' to a rule's outputs
  ${cli} output services                                               every output service and its settings
  Docs: README.md, docs/rules.md, docs/outputs/README.md, docs/credentials.md`);
process.exitCode = code;
