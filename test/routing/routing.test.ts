import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadProject } from '../../src/config/project.ts';
import { routeAlert, type Routing } from '../../src/routing/routing.ts';
import { routingOf } from '../../src/routing/routing-config.ts';
import { atLeast, severityNamed } from '../../src/routing/severity.ts';
import { streamalert } from '../support/cli.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { noMoto, uniqueName } from '../support/moto.ts';

const routing: Routing = {
  bySeverity: new Map([
    ['critical', ['pagerduty:oncall', 'slack:sec']],
    ['warning', ['slack:sec']],
  ]),
  minSeverity: new Map([['pagerduty:oncall', 'error']]),
};

describe('routing by severity', () => {
  it("sends an alert of a rule naming no outputs to its severity's route", () => {
    expect(routeAlert(routing, 'critical', [])).toEqual(['pagerduty:oncall', 'slack:sec']);
    expect(routeAlert(routing, 'warning', [])).toEqual(['slack:sec']);
    expect(routeAlert(routing, 'info', [])).toEqual([]);
  });

  it("keeps a rule's own outputs over the route, less those whose minSeverity is above the alert", () => {
    expect(routeAlert(routing, 'critical', ['slack:other'])).toEqual(['slack:other']);
    expect(routeAlert(routing, 'warning', ['pagerduty:oncall', 'slack:other'])).toEqual(['slack:other']);
    expect(routeAlert(routing, 'error', ['pagerduty:oncall'])).toEqual(['pagerduty:oncall']);
  });

  it('orders severities critical > error > warning > info, and takes Panther-style names for them', () => {
    expect(atLeast('critical', 'error')).toBe(true);
    expect(atLeast('warning', 'error')).toBe(false);
    expect(atLeast('info', 'info')).toBe(true);
    expect(['high', 'medium', 'low', 'error', 'urgent'].map(severityNamed)).toEqual(['error', 'warning', 'info', 'error', undefined]);
  });

  it('reads the routes and each minSeverity from conf/, and names a bad severity and a route to an unconfigured output', () => {
    const dir = tempProject({
      'conf/global.json': { account: { prefix: 'acme', region: 'us-east-1' }, routing: { critical: ['file:pager'], high: ['file:pager'], low: ['file:log'] } },
      'conf/outputs.json': { file: ['pager', 'log'] },
      'conf/output_settings.json': { file: { pager: { path: 'p.jsonl', minSeverity: 'high' }, log: { path: 'l.jsonl' } } },
    });
    const read = routingOf(loadProject(dir));
    expect(read.bySeverity).toEqual(new Map([['critical', ['file:pager']], ['error', ['file:pager']], ['info', ['file:log']]]));
    expect(read.minSeverity).toEqual(new Map([['file:pager', 'error']]));

    writeFileSync(join(dir, 'conf', 'output_settings.json'), JSON.stringify({ file: { pager: { path: 'p.jsonl', minSeverity: 'urgent' } } }));
    expect(() => routingOf(loadProject(dir))).toThrow(new ConfigError("conf/output_settings.json: file:pager has minSeverity 'urgent'; use one of critical, error, warning, info, high, medium, low"));
    writeFileSync(join(dir, 'conf', 'global.json'), JSON.stringify({ account: { prefix: 'acme', region: 'us-east-1' }, routing: { warning: ['slack:nowhere'] } }));
    expect(() => loadProject(dir)).toThrow("conf/global.json: routing.warning names 'slack:nowhere', which is not configured in conf/outputs.json (configured: file:pager, file:log); add it or remove it from routing.warning");
  });
});

describe('streamalert run with routing', () => {
  // DynamoDB runs where moto_server does, as every AWS test.
  it.each(([['SQLite', 'sqlite'], ['DynamoDB (moto)', 'dynamodb']] as const).filter(([, backend]) => backend === 'sqlite' || !noMoto))('on %s: delivers a critical alert of a rule with no outputs to the critical route, and keeps a low one away from an output with minSeverity high', (_, backend) => {
    const rules = `import { rule } from 'streamalert';
export const fraud_critical = rule({ logs: ['duo:authentication'], severity: 'critical' }, (rec) => rec.result === 'fraud');
export const fraud_info = rule({ logs: ['duo:authentication'], severity: 'info', outputs: ['file:pager', 'file:log'] }, (rec) => rec.result === 'fraud');
`;
    const prefix = uniqueName('route').toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const dir = tempProject({
      ...SCHEMAS,
      'rules/fraud.ts': rules,
      'conf/global.json': { account: { prefix, region: 'us-east-1' }, store: { backend }, routing: { critical: ['file:pager'] } },
      'conf/outputs.json': { file: ['pager', 'log'] },
      'conf/output_settings.json': { file: { pager: { path: 'pager.jsonl', minSeverity: 'high' }, log: { path: 'log.jsonl' } } },
    });
    const input = join(dir, 'fraud.ndjson');
    writeFileSync(input, JSON.stringify(duoRecord()));
    const env = isolatedEnv();
    if (backend === 'dynamodb') expect(streamalert(['--project', dir, 'store', 'setup'], { env }).status).toBe(0);
    const run = streamalert(['--project', dir, 'run', '--input', input], { env });
    expect(run.status, run.stdout + run.stderr).toBe(0);

    const lines = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line).rule_name as string) : []);
    expect(lines('pager.jsonl')).toEqual(['fraud_critical']);
    expect(lines('log.jsonl')).toEqual(['fraud_info']);
    const listed = JSON.parse(streamalert(['--project', dir, 'alerts', 'list', '--json'], { env }).stdout) as { rule_name: string; deliveries: { output: string }[] }[];
    const outputsOf = Object.fromEntries(listed.map((alert) => [alert.rule_name, alert.deliveries.map((delivery) => delivery.output)]));
    expect(outputsOf).toEqual({ fraud_critical: ['file:pager'], fraud_info: ['file:log'] });
  });
});
