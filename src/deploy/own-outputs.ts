import { ConfigError } from '../config/errors.ts';
import { configuredOutputs, type Project } from '../config/project.ts';
import { parseStream } from '../outputs/aws-firehose/stream.ts';
import { isTopicName, parseTopicArn } from '../outputs/aws-sns/topic.ts';
import { isQueueName, parseQueueUrl } from '../outputs/aws-sqs/queue.ts';
import { secretsNames } from './names.ts';

/** The AWS outputs whose resource the stack can create, and what it creates for each. */
export const CREATABLE = {
  'aws-s3': 'bucket',
  'aws-sns': 'topic',
  'aws-sqs': 'queue',
  'aws-firehose': 'delivery stream (into an S3 bucket of the stack)',
  'aws-cloudwatch-log': 'log group',
} as const;
export type CreatableService = keyof typeof CREATABLE;

/** The one bucket the delivery streams of created aws-firehose outputs write to, each under `<stream>/`. */
export function firehoseBucketName(prefix: string): string {
  return `${prefix}.streamalert.firehose`;
}

/** An output marked as ours: the resource the stack creates under the name the output uses. */
export interface OwnOutput {
  readonly output: string;
  readonly service: CreatableService;
  /** The resource's name (an ARN or URL configured is reduced to it). */
  readonly name: string;
  /** The account an ARN or URL names: the stack checks at deploy time that it is its own. */
  readonly account?: string;
}

const KEY = 'conf/global.json: deploy.createOutputs';
const ALLOWED = Object.entries(CREATABLE).map(([service, what]) => `${service} (${what})`).join(', ');
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/**
 * The outputs conf/global.json `deploy.createOutputs` marks as ours, each checked: a configured
 * AWS output of a service in CREATABLE whose resource is in the stack's region (conf/global.json
 * `account.region`), not a resource the stack already makes for `inputs` or the secrets.
 * Anything else is a ConfigError naming the entry and what is allowed.
 *
 * @example
 *   ownOutputs(project) // [{ output: 'aws-s3:audit', service: 'aws-s3', name: 'acme-audit' }]
 */
export function ownOutputs(project: Project): OwnOutput[] {
  const configured = configuredOutputs(project.outputs);
  const region = project.global.account.region;
  const own: OwnOutput[] = [];
  for (const [i, output] of project.global.deploy.createOutputs.entries()) {
    const at = `${KEY}[${i}] '${output}'`;
    const service = output.slice(0, output.indexOf(':'));
    if (service === 'aws-lambda' || service === 'aws-lambda-v2') {
      throw new ConfigError(`${at}: a Lambda function is your code, which the stack cannot write; deploy the function yourself (the stack grants lambda:InvokeFunction on it) and remove it from deploy.createOutputs`);
    }
    if (!(service in CREATABLE)) throw new ConfigError(`${at}: the stack creates only the resources of ${ALLOWED}; remove it from deploy.createOutputs`);
    const found = configured.find((o) => `${o.service}:${o.descriptor}` === output);
    if (found?.resource === undefined) {
      const candidates = configured.filter((o) => o.service in CREATABLE).map((o) => `${o.service}:${o.descriptor}`);
      throw new ConfigError(`${at} is not configured in conf/outputs.json (AWS outputs the stack can create: ${candidates.join(', ') || 'none'}); add it with 'streamalert output new --service ${service}' or remove it`);
    }
    const target = resourceName(service as CreatableService, found.resource);
    if (typeof target === 'string') throw new ConfigError(`${at}: its resource '${found.resource}' ${target}`);
    if (target.region !== undefined && target.region !== region) {
      throw new ConfigError(`${at}: its resource '${found.resource}' is in ${target.region}, and the stack creates resources in its own region, ${region} (conf/global.json account.region); configure it in ${region} or remove it from deploy.createOutputs`);
    }
    const clash = takenNames(project, service as CreatableService).find((taken) => taken === target.name);
    if (clash !== undefined) throw new ConfigError(`${at}: the stack already creates ${CREATABLE[service as CreatableService]} '${clash}' (for inputs or the secrets); remove it from deploy.createOutputs`);
    // Two outputs on one resource: created once, both granted.
    if (own.some((o) => o.service === service && o.name === target.name)) continue;
    own.push({ output, service: service as CreatableService, name: target.name, ...(target.account ? { account: target.account } : {}) });
  }
  return own;
}

/** The resource name an output's configured value gives, with the region and account an ARN or URL names; or why the stack cannot create it. */
function resourceName(service: CreatableService, resource: string): { name: string; region?: string; account?: string } | string {
  switch (service) {
    case 'aws-s3':
      return BUCKET.test(resource) ? { name: resource } : 'is not a bucket name (3 to 63 lowercase letters, digits, "." and "-")';
    case 'aws-cloudwatch-log':
      return LOG_GROUP.test(resource) ? { name: resource } : 'is not a log group name';
    case 'aws-sns': {
      const arn = parseTopicArn(resource);
      if (arn) return { name: arn.name, region: arn.region, account: resource.split(':')[4]! };
      return isTopicName(resource) ? { name: resource } : 'is neither a topic name nor a topic ARN';
    }
    case 'aws-sqs': {
      const url = parseQueueUrl(resource);
      if (url) {
        const [, account, name] = new URL(url.url).pathname.split('/');
        return url.region === undefined ? 'is a queue URL of no AWS region (a local endpoint)' : { name: name!, region: url.region, account: account! };
      }
      return isQueueName(resource) ? { name: resource } : 'is neither a queue name nor a queue URL';
    }
    case 'aws-firehose': {
      const stream = parseStream(resource);
      if (!stream) return 'is neither a delivery stream name nor a delivery stream ARN';
      return stream.region ? { name: stream.name, region: stream.region, account: resource.split(':')[4]! } : { name: stream.name };
    }
  }
}

/** Names the stack already gives resources of the kind `service` creates: created inputs and the secrets bucket. */
function takenNames(project: Project, service: CreatableService): string[] {
  const { inputs, account } = project.global;
  const created = <T extends { name?: string; existing: boolean }>(entries: T[]) => entries.filter((e) => e.name && !e.existing).map((e) => e.name!);
  switch (service) {
    case 'aws-s3':
      return [...created(inputs.s3), firehoseBucketName(account.prefix), ...(project.global.secrets.backend === 'aws-s3-kms' ? [secretsNames(account.prefix).bucket] : [])];
    case 'aws-sqs':
      return created(inputs.sqs);
    case 'aws-sns':
      return created(inputs.sns);
    default:
      return [];
  }
}
