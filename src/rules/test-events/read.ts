import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isPlainObject } from '../../classifier/record.ts';
import type { LogSchema } from '../../classifier/schema.ts';
import { nearest } from '../../config/nearest.ts';
import { parseTestFixtures, type TestFixtures } from './fixtures.ts';
import { applyHelpers } from './helpers.ts';
import { payloadOf, recordFromOverride } from './payload.ts';
import { parsePublisherTests, type PublisherTest } from './publisher-tests.ts';

/** One test event of a rules/**\/*.json file, in StreamAlert's format, checked. */
export interface TestEvent {
  readonly file: string;
  /** 0-based position in the file's list. */
  readonly index: number;
  readonly description: string;
  readonly log: string;
  /** What the classifier gets: the data (or the record built from override_record), helpers applied. */
  readonly payload: unknown;
  readonly triggerRules: readonly string[];
  /** `classify_only` (or StreamAlert 2's `validate_schema_only`): classification is checked, rules do not run. */
  readonly classifyOnly: boolean;
  readonly skipPublishers: boolean;
  /** `kinesis`, `s3`, `sns` or `streamalert_app`: the alert's source_service. */
  readonly service: string;
  /** The stream, bucket, topic or app: the alert's source_entity. */
  readonly source: string;
  readonly publisherTests: readonly PublisherTest[];
  readonly fixtures: TestFixtures;
}

/** A test file or event that could not be used, and why. */
export interface MalformedTest {
  readonly file: string;
  /** 0-based; absent when the whole file is unusable. */
  readonly index?: number;
  readonly problem: string;
}

/** StreamAlert's keys of a test event; `validate_schema_only` is StreamAlert 2's name for `classify_only`. */
const REQUIRED_KEYS = ['description', 'log', 'service', 'source'] as const;
const KNOWN_KEYS = [
  ...REQUIRED_KEYS,
  'data',
  'override_record',
  'trigger_rules',
  'classify_only',
  'validate_schema_only',
  'skip_publishers',
  'publisher_tests',
  'test_fixtures',
  'compress',
];
const BOOLEAN_KEYS = ['classify_only', 'validate_schema_only', 'skip_publishers', 'compress'] as const;
/** The services StreamAlert's test events may name (its test runner refuses others). */
const SERVICES = ['kinesis', 's3', 'sns', 'streamalert_app'];
/** A test file larger than this is refused: test events are a few records each. */
const MAX_TEST_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads and checks every test event file under rules/ (any depth, path order). A problem with a
 * file or an event makes it malformed; a key StreamAlert does not know is only a warning (it
 * ignores such keys too), one per key, naming the file and the event.
 *
 * @example
 *   const { events, malformed, warnings } = loadTestEvents({ dir, schemas });
 */
export function loadTestEvents(project: { readonly dir: string; readonly schemas: readonly LogSchema[] }): { events: TestEvent[]; malformed: MalformedTest[]; warnings: string[] } {
  const events: TestEvent[] = [];
  const malformed: MalformedTest[] = [];
  const warnings: string[] = [];
  for (const path of jsonFiles(join(project.dir, 'rules'))) {
    const file = relative(project.dir, path).split(sep).join('/');
    const size = statSync(path).size;
    if (size > MAX_TEST_FILE_BYTES) {
      malformed.push({ file, problem: `${size.toLocaleString('en-US')} bytes, more than a test file may have (${MAX_TEST_FILE_BYTES.toLocaleString('en-US')}); split it` });
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      malformed.push({ file, problem: `not valid JSON (${(error as Error).message})` });
      continue;
    }
    if (!Array.isArray(raw)) {
      malformed.push({ file, problem: 'must be a list of test events: [{"data": {...}, "description": ..., "log": ..., "service": ..., "source": ..., "trigger_rules": [...]}]' });
      continue;
    }
    raw.forEach((item, index) => {
      const checked = readTestEvent(item, file, index, project.schemas);
      warnings.push(...checked.warnings.map((warning) => `${file}, event #${index + 1} (index ${index}): ${warning}`));
      if ('problem' in checked) malformed.push({ file, index, problem: checked.problem });
      else events.push(checked.event);
    });
  }
  return { events, malformed, warnings };
}

/**
 * Checks one test event as StreamAlert's test runner does (required keys, `data` or
 * `override_record`, `trigger_rules` unless classify-only, a known log type, helpers, defaults,
 * the service), and the values of its other keys.
 */
export function readTestEvent(item: unknown, file: string, index: number, schemas: readonly LogSchema[]): ({ event: TestEvent } | { problem: string }) & { warnings: string[] } {
  const warnings: string[] = [];
  const fail = (problem: string) => ({ problem, warnings });
  if (!isPlainObject(item)) return fail('expected an object');
  // Before any problem, so that a misspelt key is named along with what its absence breaks.
  for (const key of Object.keys(item).filter((key) => !KNOWN_KEYS.includes(key))) {
    const guess = nearest(key, KNOWN_KEYS);
    warnings.push(`unknown key '${key}' is ignored, as StreamAlert ignores it${guess ? `; did you mean '${guess}'?` : ` (known: ${KNOWN_KEYS.join(', ')})`}`);
  }

  const missing = REQUIRED_KEYS.filter((key) => !Object.hasOwn(item, key));
  if (missing.length > 0) return fail(`missing required key(s) ${missing.map((key) => `'${key}'`).join(', ')} (${REQUIRED_KEYS.join(', ')} are required)`);
  for (const key of REQUIRED_KEYS) {
    if (typeof item[key] !== 'string') return fail(`'${key}' must be text`);
  }
  // StreamAlert takes either only when it is not empty.
  if (!isGiven(item.data) && !isGiven(item.override_record)) return fail("needs 'data' (the record) or 'override_record' (the fields to set over the schema's defaults), not empty");
  for (const key of BOOLEAN_KEYS) {
    if (item[key] !== undefined && typeof item[key] !== 'boolean') return fail(`'${key}' must be true or false`);
  }
  const classifyOnly = item.classify_only === true || item.validate_schema_only === true;
  if (!classifyOnly && !Object.hasOwn(item, 'trigger_rules')) return fail("missing 'trigger_rules' (the rules expected to fire, [] for none), required unless 'classify_only' is true");
  const triggerRules = item.trigger_rules ?? [];
  if (!Array.isArray(triggerRules) || triggerRules.some((name) => typeof name !== 'string')) return fail('trigger_rules must be a list of rule names');
  const log = item.log as string;
  const schema = schemas.find((candidate) => candidate.name === log);
  if (!schema) return fail(`log '${log}' is not a log type in conf/schemas (known: ${schemas.map((s) => s.name).join(', ') || 'none'})`);

  const helped = applyHelpers(item);
  if (typeof helped === 'string') return fail(helped);
  const event = helped.value;

  let data: unknown = event.data;
  if (isGiven(event.override_record)) {
    if (!isPlainObject(event.override_record)) return fail("override_record must be an object of the fields to set over the schema's defaults");
    if (isGiven(event.data)) warnings.push("has both 'data' and 'override_record': the record is built from override_record and data is ignored, as StreamAlert does");
    const built = recordFromOverride(schema, event.override_record);
    if (typeof built === 'string') return fail(built);
    data = built;
  }
  // A list only comes from override_record, for a log type whose json_path starts with [*].
  const usable = typeof data === 'string' || isPlainObject(data) || (Array.isArray(data) && isGiven(event.override_record));
  if (!usable) return fail(`data must be an object (the record) or text (JSON, or a raw csv, kv or syslog line), not ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}`);
  if (!SERVICES.includes(event.service as string)) return fail(`service '${String(event.service)}' is not one test events take (${SERVICES.join(', ')})`);

  const publisherTests = parsePublisherTests(event.publisher_tests);
  if (typeof publisherTests === 'string') return fail(publisherTests);
  const fixtures = parseTestFixtures(event.test_fixtures);
  if (typeof fixtures === 'string') return fail(fixtures);
  warnings.push(...fixtures.warnings);

  return {
    event: {
      file,
      index,
      description: event.description as string,
      log,
      payload: payloadOf(data as string | object, event.compress === true),
      triggerRules: triggerRules as string[],
      classifyOnly,
      skipPublishers: event.skip_publishers === true,
      service: event.service as string,
      source: event.source as string,
      publisherTests,
      fixtures: fixtures.fixtures,
    },
    warnings,
  };
}

/** Python's truthiness, which StreamAlert tests `data` and `override_record` with: no empty object, list or text. */
function isGiven(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return !isPlainObject(value) || Object.keys(value).length > 0;
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...jsonFiles(path));
    else if (entry.name.endsWith('.json')) found.push(path);
  }
  return found;
}
