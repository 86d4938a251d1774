import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from './zod.ts';
import { DeliveryPolicySchema } from '../delivery/policy.ts';
import { InputConfigSchema } from '../input/config.ts';
import { ServeConfigSchema } from '../serve/config.ts';
import { AwsDeploySchema, AwsInputsSchema } from '../deploy/config.ts';
import { ConfigError } from './errors.ts';
import { configuredOutputs, readOutputsConfig, type OutputsConfig } from './outputs-file.ts';
import { assertProject } from './project-dir.ts';
import { parseConfig } from './validate.ts';
import { SEVERITY_NAMES } from '../routing/severity.ts';

export { configuredOutputs, DESCRIPTOR, saveOutputs, type ConfiguredOutput, type OutputsConfig } from './outputs-file.ts';
export { resolveProjectDir } from './project-dir.ts';

const OUTPUT_NAME = /^[a-z0-9][a-z0-9-]*:[A-Za-z0-9._-]+$/;
const RouteSchema = z.array(z.string().regex(OUTPUT_NAME).describe("an output name, service:descriptor, e.g. 'pagerduty:oncall'"));

/** `conf/global.json`: every key optional, defaults as in DESIGN.md; an unknown key is an error. */
export const GlobalConfigSchema = z.strictObject({
  account: z
    .strictObject({
      prefix: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]*$/)
        .describe("lowercase letters, digits and dashes, e.g. 'acme-prod'")
        .default('streamalert'),
      region: z.string().default('us-east-1'),
    })
    .prefault({}),
  secrets: z.strictObject({ backend: z.enum(['local', 'aws-s3-kms', 'aws-ssm']).default('local') }).prefault({}),
  store: z
    .strictObject({
      backend: z.enum(['sqlite', 'dynamodb']).default('sqlite'),
      /** Days an alert is kept once every output has it. */
      retentionDays: z.number().int().min(1).default(30),
      /** SQLite only: 'full' syncs every commit to disk, so a power cut loses no committed alert either (docs/delivery.md). */
      synchronous: z.enum(['normal', 'full']).default('normal'),
    })
    .prefault({}),
  delivery: DeliveryPolicySchema.prefault({}),
  /** Where dead-lettered alerts are also sent; must be configured in outputs.json. */
  deadLetterOutput: z.string().regex(OUTPUT_NAME).describe("an output name, service:descriptor, e.g. 'slack:sec-alerts'").optional(),
  serve: ServeConfigSchema.prefault({}),
  input: InputConfigSchema.prefault({}),
  /** Where staged rules' alerts go (each configured in outputs.json); none: stored, not sent. */
  staging: z.strictObject({ outputs: z.array(z.string().regex(OUTPUT_NAME).describe("an output name, service:descriptor, e.g. 'file:staging'")).default([]) }).prefault({}),
  /** Outputs for the alerts of rules that name none, by severity (src/routing); each configured in outputs.json. */
  routing: z.strictObject(Object.fromEntries(SEVERITY_NAMES.map((name) => [name, RouteSchema.optional()]))).prefault({}),
  /** What feeds the rules engine on AWS: Kinesis streams, SQS queues, SNS topics, S3 buckets (`streamalert deploy`, src/deploy). */
  inputs: AwsInputsSchema.prefault({}),
  /** What `streamalert deploy` grants beyond what conf/ names: roles aws-lambda-v2 outputs assume (src/deploy). */
  deploy: AwsDeploySchema.prefault({}),
});
export type GlobalConfig = z.infer<typeof GlobalConfigSchema>;



export interface Project {
  dir: string;
  global: GlobalConfig;
  outputs: OutputsConfig;
}


/**
 * Reads and validates a project's conf/global.json and conf/outputs.json, each with its schema,
 * and that the deadLetterOutput is configured. Missing files take their defaults; a bad file is a
 * ConfigError naming the file and the key. `checkDeadLetterOutput: false` is for configuring
 * outputs, when the dead-letter output global.json names may be the one being added.
 *
 * @example
 *   const project = loadProject('/srv/secops');  // project.global.delivery.maxAttempts === 5
 */
export function loadProject(dir: string, options: { checkDeadLetterOutput?: boolean } = {}): Project {
  assertProject(dir);
  const project = {
    dir,
    global: readConfig(dir, 'conf/global.json', GlobalConfigSchema),
    outputs: readOutputsConfig(dir),
  };
  const deadLetter = project.global.deadLetterOutput;
  if (options.checkDeadLetterOutput !== false) {
    const configured = configuredOutputs(project.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`);
    const lists: [string, readonly string[]][] = [['staging.outputs', project.global.staging.outputs], ...Object.entries(project.global.routing).map(([severity, outputs]) => [`routing.${severity}`, outputs ?? []] as [string, readonly string[]])];
    for (const [key, outputs] of lists) {
      const unconfigured = outputs.find((output) => !configured.includes(output));
      if (unconfigured !== undefined) {
        throw new ConfigError(`conf/global.json: ${key} names '${unconfigured}', which is not configured in conf/outputs.json (configured: ${configured.join(', ') || 'none'}); add it or remove it from ${key}`);
      }
    }
  }
  if (deadLetter !== undefined && options.checkDeadLetterOutput !== false) {
    const configured = configuredOutputs(project.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`);
    if (!configured.includes(deadLetter)) {
      throw new ConfigError(
        `conf/global.json: deadLetterOutput '${deadLetter}' is not configured in conf/outputs.json (configured: ${configured.join(', ') || 'none'}); ` +
          `add it with 'streamalert output new --service ${deadLetter.slice(0, deadLetter.indexOf(':'))}' or change deadLetterOutput`,
      );
    }
  }
  return project;
}



function readConfig<S extends z.core.$ZodType>(dir: string, file: string, schema: S): z.output<S> {
  const path = join(dir, file);
  let raw: unknown = {};
  if (existsSync(path)) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${file} is not valid JSON (${(error as Error).message}); fix the file`);
    }
  }
  return parseConfig(schema, raw, { file });
}
