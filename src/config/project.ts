import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from './zod.ts';
import { DeliveryPolicySchema } from '../delivery/policy.ts';
import { InputConfigSchema } from '../input/config.ts';
import { serviceIds } from '../outputs/registry.ts';
import { ServeConfigSchema } from '../serve/config.ts';
import { AwsInputsSchema } from '../deploy/config.ts';
// Wherever a project is read, the built-in services are known, so outputs.json can be checked.
import '../outputs/builtin.ts';
import { writeFileAtomic } from './atomic.ts';
import { ConfigError, NoProjectError } from './errors.ts';
import { nearest } from './nearest.ts';
import { parseConfig } from './validate.ts';
import { SEVERITY_NAMES } from '../routing/severity.ts';

const OUTPUT_NAME = /^[a-z0-9][a-z0-9-]*:[A-Za-z0-9._-]+$/;
const RouteSchema = z.array(z.string().regex(OUTPUT_NAME).describe("an output name, service:descriptor, e.g. 'pagerduty:oncall'"));
/** What a descriptor may be made of, in conf/outputs.json and wherever one is chosen. */
export const DESCRIPTOR = /^[A-Za-z0-9._-]+$/;

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
});
export type GlobalConfig = z.infer<typeof GlobalConfigSchema>;

const ServiceNameSchema = z.string().superRefine((service, context) => {
  const known = serviceIds();
  if (known.includes(service)) return;
  const guess = nearest(service, known);
  context.addIssue({
    code: 'custom',
    message: `unknown service '${service}'; ${guess ? `did you mean '${guess}'?` : `registered services: ${known.join(', ')}`}`,
  });
});

const DescriptorSchema = z.string().superRefine((descriptor, context) => {
  if (!DESCRIPTOR.test(descriptor)) context.addIssue({ code: 'custom', message: `descriptor '${descriptor}' may use only letters, digits, '-', '_' and '.'` });
});

/**
 * `conf/outputs.json` in StreamAlert's shape: a list of descriptors for other services,
 * descriptor -> resource (bucket, function) for AWS services. Services must be registered.
 */
export const OutputsConfigSchema = z.record(
  ServiceNameSchema,
  z
    .union([z.array(DescriptorSchema), z.record(DescriptorSchema, z.string())])
    .describe('a list of descriptors, e.g. ["sec-alerts"], or for AWS services an object of descriptor to resource, e.g. {"audit": "my-bucket"}'),
);
export type OutputsConfig = z.infer<typeof OutputsConfigSchema>;

/** One configured output, flattened out of outputs.json. */
export interface ConfiguredOutput {
  service: string;
  descriptor: string;
  /** The AWS resource for AWS services; undefined for the others. */
  resource?: string;
}

export interface Project {
  dir: string;
  global: GlobalConfig;
  outputs: OutputsConfig;
}

/** The project folder: --project, else $STREAMALERT_PROJECT, else the current directory. */
export function resolveProjectDir(option?: string): string {
  return resolve(option ?? process.env.STREAMALERT_PROJECT ?? process.cwd());
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
  if (!existsSync(join(dir, 'conf'))) throw new NoProjectError(dir);
  const project = {
    dir,
    global: readConfig(dir, 'conf/global.json', GlobalConfigSchema),
    outputs: readConfig(dir, 'conf/outputs.json', OutputsConfigSchema),
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

/** Every configured output, in file order. */
export function configuredOutputs(outputs: OutputsConfig): ConfiguredOutput[] {
  return Object.entries(outputs).flatMap(([service, entries]) =>
    Array.isArray(entries)
      ? entries.map((descriptor) => ({ service, descriptor }))
      : Object.entries(entries).map(([descriptor, resource]) => ({ service, descriptor, resource })),
  );
}

/** Writes conf/outputs.json atomically, keeping StreamAlert's shape and a stable key order. */
export function saveOutputs(dir: string, outputs: OutputsConfig): void {
  const sorted = Object.fromEntries(Object.entries(outputs).sort(([a], [b]) => a.localeCompare(b)));
  writeFileAtomic(join(dir, 'conf', 'outputs.json'), `${JSON.stringify(sorted, null, 2)}\n`);
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
