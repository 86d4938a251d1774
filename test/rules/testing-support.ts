import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { loadSchemas } from '../../src/classifier/schema.ts';
import { loadProject } from '../../src/config/project.ts';
import { loadRules, type LoadedRule } from '../../src/rules/loader.ts';
import { runRuleTests } from '../../src/rules/testing.ts';
import { OUTPUTS, tempProject } from '../support/rules-project.ts';

export const IMPORT = "import { rule } from 'streamalert';\n";

/**
 * Log types in StreamAlert's shapes: a CloudWatch Logs subscription (envelope, records as JSON
 * text in logEvents), a CloudTrail file (json_path, no envelope), a flat Duo log, and a
 * json_regex_key log.
 */
export const TEST_SCHEMAS = {
  'conf/schemas/cloudwatch.json': {
    'cloudwatch:cloudtrail': {
      parser: 'json',
      schema: { eventName: 'string', userIdentity: { type: 'string', arn: 'string' }, errorCode: 'string' },
      configuration: {
        json_path: 'logEvents[*].message',
        embedded_json: true,
        envelope_keys: { logGroup: 'string', owner: 'string', subscriptionFilters: [] },
        optional_top_level_keys: ['errorCode'],
      },
    },
  },
  'conf/schemas/cloudtrail.json': {
    'cloudtrail:events': {
      parser: 'json',
      schema: { eventName: 'string', eventSource: 'string', readOnly: 'boolean', requestParameters: {}, resources: [], userIdentity: {} },
      configuration: { json_path: 'Records[*]' },
    },
  },
  'conf/schemas/duo.json': {
    'duo:authentication': {
      parser: 'json',
      schema: { factor: 'string', result: 'string', timestamp: 'integer', access_device: { ip: 'string', os: 'string' } },
    },
  },
  'conf/schemas/osquery.json': {
    'osquery:snapshot': {
      parser: 'json',
      schema: { name: 'string', hostIdentifier: 'string' },
      configuration: { json_regex_key: 'message' },
    },
  },
};

/** Loads the project's rules (expecting all to load) and runs its test events in process. */
export async function runProject(files: Record<string, string | object>, options: { rule?: string; change?: (rules: LoadedRule[]) => LoadedRule[] } = {}) {
  return runIn(tempProject({ ...TEST_SCHEMAS, ...OUTPUTS, ...files }), options);
}

/**
 * One project for several runs, each writing its own files first: a project's publishers register
 * once per process, so a second project defining the same publisher name would clash.
 *
 * @example
 *   const run = projectRunner({ 'publishers/p.ts': ... });
 *   const report = await run({ 'rules/r.json': [...] });
 */
export function projectRunner(files: Record<string, string | object>): (more: Record<string, string | object>) => ReturnType<typeof runProject> {
  const dir = tempProject({ ...TEST_SCHEMAS, ...OUTPUTS, ...files });
  return (more) => {
    for (const [path, content] of Object.entries(more)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return runIn(dir, {});
  };
}

async function runIn(dir: string, options: { rule?: string; change?: (rules: LoadedRule[]) => LoadedRule[] }) {
  const { schemas, problems: schemaProblems } = loadSchemas(dir);
  expect(schemaProblems).toEqual([]);
  const outputs = loadProject(dir).outputs;
  const { rules, problems } = await loadRules({ dir, schemas, outputs });
  expect(problems).toEqual([]);
  return runRuleTests({ dir, schemas, outputs }, options.change ? options.change(rules) : rules, options.rule === undefined ? {} : { rule: options.rule });
}

/** A test event in StreamAlert's format, with its required keys filled in for a Duo log. */
export function duoEvent(fields: Record<string, unknown>): Record<string, unknown> {
  return { description: 'a duo event', log: 'duo:authentication', service: 'streamalert_app', source: 'duo_auth', trigger_rules: [], ...fields };
}

export const DUO_LOG = { factor: 'duo_push', result: 'FRAUD', timestamp: 1715675412, access_device: { ip: '198.51.100.77', os: 'Mac OS X' } };
