import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS, listFiles, readBounded } from './checkout.ts';
import type { ImportReport, ProjectWriter } from './report.ts';

/** StreamAlert's conf/ files this project reads as they are (see docs/migrating-from-streamalert.md). */
const COPIED_UNCHANGED = ['conf/normalized_types.json', 'conf/lookup_tables.json', 'conf/threat_intel.json'];

/**
 * The output services here, each with how conf/outputs.json lists it: `resource` for a service
 * whose AWS resource is the value there (StreamAlert's shape for aws-s3, aws-firehose ...),
 * `list` for a list of descriptors.
 */
export type ServiceShapes = ReadonlyMap<string, 'list' | 'resource'>;

const ADD_A_SERVICE = "no such output service here: add one in the project's outputs/ folder (docs/adding-a-service.md), or use another";

/** StreamAlert's infrastructure settings (conf/global.json "infrastructure"), and what takes their place here. */
const INFRASTRUCTURE: Readonly<Record<string, string>> = {
  alerts_table: 'the alert store is SQLite in .streamalert/ (embedded) or a DynamoDB table: "store": {"backend": "dynamodb"} in conf/global.json, then streamalert store setup',
  artifact_extractor: 'no artifact extractor here; a publisher can shape what each output receives',
  firehose: 'no historical-data Firehose here: send every alert to an aws-s3 (or file) output for an archive',
  monitoring: "no CloudWatch alarms here: 'streamalert serve' exposes GET /metrics (Prometheus) and /healthz",
  rule_staging: 'staging is per rule here: staged: true, or streamalert rules stage NAME; staged alerts go to staging.outputs in conf/global.json',
  classifier_sqs: 'not needed: one process classifies and runs the rules',
  rules_engine: "Lambda settings: rules run in 'streamalert run' or 'serve' (AWS Lambda handlers: docs/aws.md)",
  alert_processor: "Lambda settings: outputs are delivered by 'run' and 'serve' (AWS Lambda handlers: docs/aws.md)",
};

interface StreamAlertGlobal {
  readonly ruleLocations: readonly string[];
  readonly matcherLocations: readonly string[];
  readonly publisherLocations: readonly string[];
}

/**
 * Carries conf/ over: schemas and the files read unchanged are copied; outputs.json is written
 * with the services this package has; global.json gives ours its prefix and region; everything
 * else gets a line saying what to do instead. Returns where the checkout keeps its code.
 */
export function importConf(checkout: string, writer: ProjectWriter, report: ImportReport, services: ServiceShapes): StreamAlertGlobal {
  const conf = join(checkout, 'conf');
  if (!existsSync(conf)) {
    report.notCarried.push('conf/: the checkout has none; only its rules were read');
    return { ruleLocations: ['rules'], matcherLocations: ['matchers'], publisherLocations: ['publishers'] };
  }
  const files = listFiles(checkout, 'conf', (path, why) => report.notCarried.push(`${path}: ${why}`));
  let global: StreamAlertGlobal = { ruleLocations: ['rules'], matcherLocations: ['matchers'], publisherLocations: ['publishers'] };
  for (const path of files) {
    if (/^conf\/schemas\/[^/]+\.json$/.test(path) || COPIED_UNCHANGED.includes(path)) copy(checkout, path, path, writer, report);
    else if (path === 'conf/logs.json') copy(checkout, path, 'conf/schemas/logs.json', writer, report);
    else if (path === 'conf/outputs.json') importOutputs(checkout, path, writer, report, services);
    else if (path === 'conf/global.json') global = importGlobal(checkout, path, writer, report);
    else if (path.startsWith('conf/clusters/')) report.notCarried.push(`${path}: a cluster (its Kinesis streams, Lambda functions and log sources) is not a thing here: records come from 'streamalert run --input' or 'serve' (POST /v1/records?log_type=...); on AWS, "inputs" in conf/global.json`);
    else if (path === 'conf/lambda.json') report.notCarried.push(`${path}: Lambda function settings: the rules run in 'streamalert run' or 'serve' (the AWS Lambda handlers: docs/aws.md)`);
    else if (path === 'conf/sources.json') report.notCarried.push(`${path}: which log sources each data source carries: pass --log-type to run, or log_type to serve's POST (the classifier tries every schema of a source)`);
    else if (path === 'conf/scheduled_queries.json') report.notCarried.push(`${path}: scheduled Athena queries are not a feature here`);
    else if (path === 'conf/types.json') report.notCarried.push(`${path}: StreamAlert 1's normalized types: move them into conf/normalized_types.json`);
    else report.notCarried.push(`${path}: not a file this project reads`);
  }
  return global;
}

function copy(checkout: string, from: string, to: string, writer: ProjectWriter, report: ImportReport): void {
  const read = readBounded(checkout, from, LIMITS.maxJsonBytes);
  if ('problem' in read) report.unparsed.push(`${from}: ${read.problem}; not copied`);
  else writer.place(to, readFileSync(join(checkout, from)), 'copied');
}

/** Reads a conf JSON object, or records why it cannot be (and returns undefined). */
function readJsonObject(checkout: string, path: string, report: ImportReport): Record<string, unknown> | undefined {
  const read = readBounded(checkout, path, LIMITS.maxJsonBytes);
  if ('problem' in read) {
    report.unparsed.push(`${path}: ${read.problem}; not read`);
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(read.text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    report.unparsed.push(`${path}: not a JSON object; not read`);
  } catch (error) {
    report.unparsed.push(`${path}: not valid JSON (${(error as Error).message}); not read`);
  }
  return undefined;
}

/**
 * outputs.json keeps StreamAlert's shape; a service this package does not have would make every
 * command refuse the file, so only the services it has are written, each other one reported.
 */
function importOutputs(checkout: string, path: string, writer: ProjectWriter, report: ImportReport, services: ServiceShapes): void {
  const outputs = readJsonObject(checkout, path, report);
  if (outputs === undefined) return;
  const kept: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const [service, entries] of Object.entries(outputs)) {
    const descriptors = Array.isArray(entries) ? entries.filter((entry): entry is string => typeof entry === 'string') : typeof entries === 'object' && entries !== null ? Object.keys(entries) : [];
    const shape = services.get(service);
    if (shape === undefined) {
      lines.push(`conf/outputs.json: ${descriptors.map((descriptor) => `${service}:${descriptor}`).join(', ') || service}: ${ADD_A_SERVICE}`);
      continue;
    }
    if (service === 'pagerduty') lines.push(`conf/outputs.json: pagerduty: StreamAlert's pagerduty sent Events API v1; ours sends v2 with a routing key: streamalert output new --service pagerduty --descriptor ${descriptors[0] ?? 'D'} --update`);
    if (shape === 'resource' && Array.isArray(entries)) {
      // StreamAlert kept this service's resource with its credentials; here it is the value in outputs.json.
      lines.push(`conf/outputs.json: ${descriptors.map((descriptor) => `${service}:${descriptor}`).join(', ')}: StreamAlert kept the ${service} resource in SSM, here it is in conf/outputs.json: configure each with: streamalert output new --service ${service} --descriptor ${descriptors[0] ?? 'D'}`);
      continue;
    }
    kept[service] = shape === 'list' && !Array.isArray(entries) ? descriptors : entries;
  }
  if (writer.place('conf/outputs.json', `${JSON.stringify(kept, null, 2)}\n`, 'written')) report.notCarried.push(...lines);
  report.notCarried.push("output credentials: StreamAlert 3 kept them in SSM (/PREFIX/streamalert/outputs/SERVICE/DESCRIPTOR): set \"secrets\": {\"backend\": \"aws-ssm\"} in conf/global.json to use them as they are, or store each again: streamalert output new --service S --descriptor D --update");
}

/** Our conf/global.json from StreamAlert's account; every other setting reported with what replaces it. */
function importGlobal(checkout: string, path: string, writer: ProjectWriter, report: ImportReport): StreamAlertGlobal {
  const global = readJsonObject(checkout, path, report) ?? {};
  const account = objectAt(global, 'account');
  const general = objectAt(global, 'general');
  const ours: Record<string, unknown> = {};
  const prefix = account.prefix;
  if (typeof prefix === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(prefix)) ours.prefix = prefix;
  else if (prefix !== undefined) report.notCarried.push(`conf/global.json: account.prefix ${JSON.stringify(prefix)} is not a prefix here (lowercase letters, digits and dashes): the default 'streamalert' is used; set account.prefix in conf/global.json`);
  if (typeof account.region === 'string') ours.region = account.region;
  if (writer.place('conf/global.json', `${JSON.stringify({ account: ours }, null, 2)}\n`, 'written')) {
    if (account.aws_account_id !== undefined) report.notCarried.push('conf/global.json: account.aws_account_id: not needed: the AWS SDK finds the account from its credentials');
  } else report.notCarried.push(`conf/global.json: the project's own was kept; StreamAlert's account was ${JSON.stringify({ prefix, region: account.region })}`);
  const libraries = general.third_party_libraries;
  if (Array.isArray(libraries) && libraries.length > 0) report.notCarried.push(`conf/global.json: general.third_party_libraries (${libraries.slice(0, 5).join(', ')}${libraries.length > 5 ? ', ...' : ''}): rules here are TypeScript: npm install the packages your ports need`);
  if (Array.isArray(general.terraform_files) && general.terraform_files.length > 0) report.notCarried.push('conf/global.json: general.terraform_files: no Terraform here (the AWS deployment: docs/aws.md)');
  if (Array.isArray(general.scheduled_query_locations) && general.scheduled_query_locations.some((location) => existsSync(join(checkout, String(location))))) {
    report.notCarried.push(`conf/global.json: general.scheduled_query_locations (${general.scheduled_query_locations.join(', ')}): scheduled Athena queries are not a feature here`);
  }
  for (const key of Object.keys(objectAt(global, 'infrastructure'))) report.notCarried.push(`conf/global.json: infrastructure.${key}: ${INFRASTRUCTURE[key] ?? "StreamAlert's AWS infrastructure, deployed differently here (docs/aws.md)"}`);
  for (const key of Object.keys(global)) if (!['account', 'general', 'infrastructure'].includes(key)) report.notCarried.push(`conf/global.json: ${key}: not a setting here`);
  return {
    ruleLocations: locations(general.rule_locations, 'rules', report),
    matcherLocations: locations(general.matcher_locations, 'matchers', report),
    publisherLocations: locations(general.publisher_locations, 'publishers', report),
  };
}

/** Code locations as given, each a relative folder inside the checkout; anything else is reported and left out. */
function locations(value: unknown, fallback: string, report: ImportReport): string[] {
  if (value === undefined) return [fallback];
  const list = Array.isArray(value) ? value : [];
  const usable = list.filter((location): location is string => typeof location === 'string' && /^[\w.-]+(\/[\w.-]+)*$/.test(location) && !location.split('/').some((part) => part === '..' || part === '.'));
  for (const location of list) if (!usable.includes(location as string)) report.unparsed.push(`conf/global.json: location ${JSON.stringify(location)} is not a folder inside the checkout; not read`);
  return usable;
}

function objectAt(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = object[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
