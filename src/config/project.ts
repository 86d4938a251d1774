import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic.ts';
import { ConfigError, NoProjectError } from './errors.ts';

/** `conf/global.json`: every key optional, defaults as in DESIGN.md. */
export const GlobalConfigSchema = z.object({
  account: z
    .object({
      prefix: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes').default('streamalert'),
      region: z.string().default('us-east-1'),
    })
    .prefault({}),
  secrets: z.object({ backend: z.enum(['local', 'aws-s3-kms', 'aws-ssm']).default('local') }).prefault({}),
  store: z.object({ backend: z.enum(['sqlite', 'dynamodb']).default('sqlite') }).prefault({}),
  delivery: z.record(z.string(), z.unknown()).default({}),
});
export type GlobalConfig = z.infer<typeof GlobalConfigSchema>;

/**
 * `conf/outputs.json` in StreamAlert's shape: a list of descriptors for other services,
 * descriptor -> resource (bucket, function) for AWS services.
 */
export const OutputsConfigSchema = z.record(
  z.string(),
  z.union([z.array(z.string()), z.record(z.string(), z.string())]),
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

/** Reads and validates a project's conf/. Missing files take their defaults; a bad file is a ConfigError naming it. */
export function loadProject(dir: string): Project {
  if (!existsSync(join(dir, 'conf'))) throw new NoProjectError(dir);
  return {
    dir,
    global: readConfig(join(dir, 'conf', 'global.json'), GlobalConfigSchema, {}),
    outputs: readConfig(join(dir, 'conf', 'outputs.json'), OutputsConfigSchema, {}),
  };
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

function readConfig<T>(path: string, schema: z.ZodType<T>, fallback: unknown): T {
  let raw: unknown = fallback;
  if (existsSync(path)) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${path} is not valid JSON (${(error as Error).message}); fix the file`);
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`${path} is not valid: ${problems.join('; ')}`);
  }
  return parsed.data;
}
