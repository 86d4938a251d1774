import { describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { serviceIds } from '../../src/outputs/registry.ts';
import '../../src/outputs/builtin.ts';

const rule = (name: string, output: string) =>
  `import { rule } from 'streamalert';\nexport const ${name} = rule({ logs: ['duo:authentication'], outputs: ['${output}'] }, (rec) => rec.result === 'fraud');\n`;

const CONFIGURED = 'configured: slack:sec-alerts, pagerduty:oncall, aws-s3:audit';
// Every built-in service, as the CLI lists them, so that adding one does not change this test.
const SERVICES = [...serviceIds()].sort().join(', ');

describe("a rule's output that is not configured: the advice fits the mistake", () => {
  it.each([
    ['a misspelt service', 'pagerdty:oncall', `rules/r.ts: rule r: output 'pagerdty:oncall': unknown service 'pagerdty'; did you mean 'pagerduty'? (${CONFIGURED})`],
    ['a service that does not exist', 'carrier-pigeon:general', `rules/r.ts: rule r: output 'carrier-pigeon:general': unknown service 'carrier-pigeon'; the services are: ${SERVICES} (${CONFIGURED})`],
    ['a service without a descriptor', 'pagerduty', `rules/r.ts: rule r: output 'pagerduty' is not an output name: outputs are written service:descriptor; did you mean 'pagerduty:oncall'? (${CONFIGURED})`],
    ['a service with an empty descriptor', 'phantom:', `rules/r.ts: rule r: output 'phantom:' is not an output name: outputs are written service:descriptor; e.g. 'slack:sec-alerts' (${CONFIGURED})`],
    ['a descriptor not configured', 'pagerduty:secops', `rules/r.ts: rule r: output 'pagerduty:secops' is not configured in conf/outputs.json (${CONFIGURED}); add it with 'streamalert output new --service pagerduty' or change the rule`],
  ])('%s', (_case, output, message) => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, 'rules/r.ts': rule('r', output) });
    const run = streamalert(['--project', dir, 'rules', 'test'], { env: isolatedEnv() });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`Did not load (each is a failure):\n  ${message}\n`);
  });
});
