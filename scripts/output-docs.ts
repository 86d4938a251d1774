// `npm run docs:outputs`: writes each output service's properties table into its page,
// docs/outputs/<service>.md, and the index's table of services, from the declarations the CLI prompts from (src/outputs/service-docs.ts).
// `npm test` fails when a page and its declaration differ (test/outputs/service-docs.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import '../src/outputs/builtin.ts';
import { getService, loadServices, serviceIds } from '../src/outputs/registry.ts';
import { GENERATED_BEGIN, GENERATED_END, INDEX_BEGIN, propertiesTable, servicePage, SERVICES_INDEX, servicesTable, withPropertiesTable } from '../src/outputs/service-docs.ts';

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
const index = readFileSync(SERVICES_INDEX, 'utf8');
const indexed = withPropertiesTable(index, servicesTable(serviceIds().map(getService)), INDEX_BEGIN);
if (indexed === undefined) {
  console.error(`${SERVICES_INDEX} has no "${INDEX_BEGIN}" ... "${GENERATED_END}" lines`);
  problems++;
} else if (indexed !== index) {
  writeFileSync(SERVICES_INDEX, indexed);
  console.log('docs/outputs/README.md: services table written');
}
process.exitCode = problems > 0 ? 1 : 0;
