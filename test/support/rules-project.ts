import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** The repository root: what `import ... from 'streamalert'` resolves to in a temporary project. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A user's project folder in a fresh temporary directory: `files` maps relative paths to text
 * (or to JSON data, written as JSON). It gets `"type": "module"` and a node_modules/streamalert
 * link to this checkout, as `npm install streamalert` would give. Removed after the test file.
 *
 * @example
 *   const dir = tempProject({ 'conf/outputs.json': { slack: ['sec'] }, 'rules/a.ts': "import { rule } from 'streamalert'; ..." });
 */
export function tempProject(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamalert-project-'));
  made.push(dir);
  mkdirSync(join(dir, 'conf'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'streamalert'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return dir;
}

/** Schemas used across the rules tests: realistic Duo and GitHub audit shapes, and CloudTrail as StreamAlert declares it. */
export const SCHEMAS = {
  'conf/schemas/cloudtrail.json': {
    'cloudtrail:events': {
      parser: 'json',
      schema: {
        additionalEventData: {},
        awsRegion: 'string',
        errorCode: 'string',
        eventID: 'string',
        eventName: 'string',
        eventSource: 'string',
        eventTime: 'string',
        eventType: 'string',
        eventVersion: 'string',
        recipientAccountId: 'string',
        requestParameters: {},
        responseElements: {},
        sourceIPAddress: 'string',
        userAgent: 'string',
        userIdentity: {},
      },
      configuration: { json_path: 'Records[*]', optional_top_level_keys: ['additionalEventData', 'errorCode'] },
    },
  },
  'conf/schemas/duo.json': {
    'duo:authentication': {
      parser: 'json',
      schema: { access_device: {}, factor: 'string', reason: 'string', result: 'string', timestamp: 'integer', user: {} },
    },
  },
  'conf/schemas/github.json': {
    'github:audit': {
      parser: 'json',
      schema: { action: 'string', actor: 'string', created_at: 'integer', user: 'string' },
      configuration: { optional_top_level_keys: ['user'] },
    },
  },
} as const;

export const OUTPUTS = { 'conf/outputs.json': { slack: ['sec-alerts'], pagerduty: ['oncall'], 'aws-s3': { audit: 'audit-bucket' } } } as const;

/** A Duo authentication log record (Admin API v2 shape, trimmed to the test schema). */
export function duoRecord(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access_device: { ip: '198.51.100.77', os: 'Mac OS X' },
    factor: 'duo_push',
    reason: 'user_marked_fraud',
    result: 'fraud',
    timestamp: 1715675412,
    user: { name: 'bob@example.com', key: 'DU3KC77WJ06Y5HIV7XKQ' },
    ...fields,
  };
}

/** A CloudTrail event (inside no envelope). */
export function cloudtrailEvent(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    awsRegion: 'us-east-1',
    eventID: '3fcfb586-2fd5-4c0e-9a1f-6a9d0c3b2f11',
    eventName: 'ConsoleLogin',
    eventSource: 'signin.amazonaws.com',
    eventTime: '2024-05-14T09:12:44Z',
    eventType: 'AwsConsoleSignIn',
    eventVersion: '1.08',
    recipientAccountId: '123456789012',
    requestParameters: null,
    responseElements: { ConsoleLogin: 'Success' },
    sourceIPAddress: '198.51.100.23',
    userAgent: 'Mozilla/5.0',
    userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
    ...fields,
  };
}
