// `npm run docs:outputs`: writes each output service's properties table into its page,
// docs/outputs/<service>.md, from the declarations the CLI prompts from (src/outputs/service-docs.ts).
// `npm test` fails when a page and its declaration differ (test/outputs/service-docs.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import '../src/outputs/builtin.ts';
import { getService, loadServices, serviceIds } from '../src/outputs/registry.ts';
import { GENERATED_BEGIN, GENERATED_END, propertiesTable, servicePage, withPropertiesTable } from '../src/outputs/service-docs.ts';

await loadServices();
let problems = 0;
for (const service of serviceIds()) {
  const path = servicePage(service);
  let page: string;
  try {
    page = readFileSync(path, 'utf8');
  } catch {
    console.error(`${service}: no page at ${path}; write one (see docs/outputs/discord.md)`);
    problems++;
    continue;
  }
  const updated = withPropertiesTable(page, propertiesTable(getService(service)));
  if (updated === undefined) {
    console.error(`${service}: ${path} has no "${GENERATED_BEGIN}" ... "${GENERATED_END}" lines under "## Properties"`);
    problems++;
  } else if (updated !== page) {
    writeFileSync(path, updated);
    console.log(`${service}: properties table written`);
  }
}
process.exitCode = problems > 0 ? 1 : 0;
