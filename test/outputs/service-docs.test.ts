import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { property } from '../../src/outputs/property.ts';
import { descriptorProperty, getService, serviceIds } from '../../src/outputs/registry.ts';
import { INDEX_BEGIN, propertiesTable, servicePage, SERVICES_INDEX, servicesTable, withPropertiesTable } from '../../src/outputs/service-docs.ts';
import type { OutputClass } from '../../src/outputs/registry.ts';
import '../support/outputs.ts';
import { streamalert } from '../support/cli.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { tempProject } from '../support/rules-project.ts';

describe('service pages', () => {
  it.each(serviceIds().map((service) => [service]))("docs/outputs/%s.md lists the properties exactly as they are declared (run 'npm run docs:outputs' after changing them)", (service) => {
    const page = readFileSync(servicePage(service), 'utf8');
    const regenerated = withPropertiesTable(page, propertiesTable(getService(service)));
    expect(regenerated, 'the page has the generated-properties lines under ## Properties').toBeDefined();
    expect(page).toBe(regenerated);
    expect(page).toMatch(new RegExp(`^# .+ \\(\`${service}\`\\)\n`));
  });

  it("docs/outputs/README.md lists every service with its page and properties (run 'npm run docs:outputs' after adding one)", () => {
    const index = readFileSync(SERVICES_INDEX, 'utf8');
    expect(index).toBe(withPropertiesTable(index, servicesTable(serviceIds().map(getService)), INDEX_BEGIN));
    expect(index).toContain('| `slack` | [Slack](slack.md) | `url` (secret) |');
  });

  it("README.md's Outputs section names every service, with the count", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Outputs\n'), readme.indexOf('\n## ', readme.indexOf('## Outputs\n') + 1));
    const named = new Set([...section.matchAll(/^\| [^|]+ \| (.+) \|$/gm)].flatMap(([, cell]) => [...cell!.matchAll(/`([a-z0-9-]+)`/g)].map(([, id]) => id!)));
    expect([...named].filter((id) => serviceIds().includes(id)).sort()).toEqual(serviceIds());
    expect(section).toContain(`${serviceIds().length} services`);
  });

  it('renders each property: secret or not, its default, and what values it accepts', () => {
    const cls = {
      properties: {
        descriptor: descriptorProperty('Example', 'team'),
        url: property('the api url', { url: true, value: 'https://api.example.com', inputRestrictions: [' '] }),
        token: property('the api token | with a pipe', { secret: true }),
        mode: property('the mode', { choices: ['a', 'b'], optional: true }),
      },
    } as unknown as OutputClass;
    expect(propertiesTable(cls).split('\n').slice(2)).toEqual([
      '| `descriptor` | no | required | letters, digits, `-`, `_` and `.`: the name rules use, `service:descriptor` | a short and unique descriptor for this Example integration (ie: team) |',
      '| `url` | no | `https://api.example.com` | an `https://` (or `http://`) URL; no space | the api url |',
      '| `token` | yes | required | no space or `:`; read without echo | the api token \\| with a pipe |',
      '| `mode` | no | (none: optional) | one of `a`, `b`; no space or `:` | the mode |',
    ]);
  });
});

describe('output services', () => {
  it("links each built-in service's page, and shows its declared limits", () => {
    const dir = tempProject({});
    const json = streamalert(['--project', dir, 'output', 'services', '--json'], { env: isolatedEnv() });
    expect(json.status, json.stderr).toBe(0);
    const services = JSON.parse(json.stdout) as { service: string; docs?: string; limits: unknown }[];
    expect(services.map((service) => service.service)).toEqual(serviceIds());
    for (const { service, docs, limits } of services) {
      expect(docs).toBe(servicePage(service));
      expect(limits).toEqual(JSON.parse(JSON.stringify(getService(service).limits)));
    }
    const text = streamalert(['--project', dir, 'output', 'services'], { env: isolatedEnv() });
    expect(text.stdout).toMatch(/^slack +Slack +url \(secret\)\n +\S*docs\/outputs\/slack\.md$/m);
  });
});
