import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceIds } from '../outputs/registry.ts';
import '../outputs/builtin.ts';
import { writeFileAtomic } from './atomic.ts';
import { ConfigError } from './errors.ts';
import { nearest } from './nearest.ts';

// conf/outputs.json, read without zod: `output list` reads only this file, and loading zod and
// the other files' schemas would cost it most of its start (docs: npm run bench, CLI start).

const FILE = 'conf/outputs.json';

/** What a descriptor may be made of, in conf/outputs.json and wherever one is chosen. */
export const DESCRIPTOR = /^[A-Za-z0-9._-]+$/;

/**
 * `conf/outputs.json` in StreamAlert's shape: a list of descriptors for other services,
 * descriptor -> resource (bucket, function) for AWS services. Services must be registered.
 */
export type OutputsConfig = Record<string, string[] | Record<string, string>>;

/** One configured output, flattened out of outputs.json. */
export interface ConfiguredOutput {
  service: string;
  descriptor: string;
  /** The AWS resource for AWS services; undefined for the others. */
  resource?: string;
}

const SHAPE = 'a list of descriptors, e.g. ["sec-alerts"], or for AWS services an object of descriptor to resource, e.g. {"audit": "my-bucket"}';

/** The project's conf/outputs.json, checked; `{}` when there is none. A bad file is a ConfigError with one line per problem. */
export function readOutputsConfig(dir: string): OutputsConfig {
  const path = join(dir, FILE);
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${FILE} is not valid JSON (${(error as Error).message}); fix the file`);
  }
  return parseOutputsConfig(raw);
}

/**
 * Checks the content of conf/outputs.json: every service registered (the nearest one named when
 * it is not), every entry a list of descriptors or an object of descriptor to resource, every
 * descriptor of letters, digits, '-', '_' and '.'.
 *
 * @example
 *   parseOutputsConfig({ pagerdty: ['oncall'] })
 *   // ConfigError: conf/outputs.json: unknown service 'pagerdty'; did you mean 'pagerduty'?
 */
export function parseOutputsConfig(raw: unknown): OutputsConfig {
  if (!isObject(raw)) throw new ConfigError(`${FILE} must be an object of service to ${SHAPE} (got ${formatValue(raw)})`);
  const problems: string[] = [];
  const known = serviceIds();
  for (const [service, entries] of Object.entries(raw)) {
    if (!known.includes(service)) {
      const guess = nearest(service, known);
      problems.push(`${FILE}: unknown service '${service}'; ${guess ? `did you mean '${guess}'?` : `registered services: ${known.join(', ')}`}`);
    } else if (Array.isArray(entries)) {
      entries.forEach((descriptor, i) => problems.push(...descriptorProblems(descriptor, `${service}[${i}]`)));
    } else if (isObject(entries)) {
      for (const [descriptor, resource] of Object.entries(entries)) {
        problems.push(...descriptorProblems(descriptor, service));
        if (typeof resource !== 'string') problems.push(`${FILE}: ${service}.${descriptor} must be text, the resource's name or ARN (got ${formatValue(resource)})`);
      }
    } else {
      problems.push(`${FILE}: ${service} must be ${SHAPE} (got ${formatValue(entries)})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return raw as OutputsConfig;
}

function descriptorProblems(descriptor: unknown, at: string): string[] {
  if (typeof descriptor !== 'string') return [`${FILE}: ${at} must be a descriptor, text (got ${formatValue(descriptor)})`];
  return DESCRIPTOR.test(descriptor) ? [] : [`${FILE}: ${at}: descriptor '${descriptor}' may use only letters, digits, '-', '_' and '.'`];
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
  writeFileAtomic(join(dir, FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
