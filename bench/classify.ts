import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../src/config/project.ts';
import { readRecordBatches } from '../src/input/reader.ts';
import { Pipeline } from '../src/pipeline/pipeline.ts';

export interface ClassifyBenchResult {
  records: number;
  rules: number;
  alerts: number;
  /** JSON.parse of each line, nothing else. */
  parseOnlyPerSecond: number;
  /** JSON.parse + classify + rules, over the same lines in memory. */
  pipelinePerSecond: number;
  /** The same through the streaming reader (readRecordBatches over 1 MiB chunks), as `run` reads files. */
  streamingPerSecond: number;
  /** pipelinePerSecond / parseOnlyPerSecond: the goal is >= 0.5. */
  ratio: number;
  streamingRatio: number;
}

const ROUNDS = 5;
/** About what the streaming reader yields from a 1 MiB chunk of these records. */
const BATCH_RECORDS = 1_000;

/**
 * Measures classification + 20 rules over generated CloudTrail-like NDJSON against JSON.parse
 * of the same lines alone, in the same process and run, best of ROUNDS each (rounds alternate
 * so both see the same machine state). The project (schemas, rules as .ts files, outputs) is
 * written to a temporary folder and loaded like a user's.
 *
 * @example
 *   const result = await runClassifyBench(100_000);
 *   result.ratio  // e.g. 0.7
 */
export async function runClassifyBench(count: number): Promise<ClassifyBenchResult> {
  const dir = writeBenchProject();
  try {
    const pipeline = await Pipeline.load(loadProject(dir), { onEvent: () => {} });
    const lines = generateLines(count);
    const ndjson = Buffer.from(lines.join('\n'));

    let parsed = 0;
    const parseOnly = (): void => {
      for (const line of lines) if (JSON.parse(line) !== null) parsed++;
    };
    let alerts = 0;
    // In batches, as `run` hands records to the rules: the watchdog that stops a rule that never returns starts once a batch.
    const inMemory = (): void => {
      for (let from = 0; from < lines.length; from += BATCH_RECORDS) {
        const batch = lines.slice(from, from + BATCH_RECORDS).map((line, i) => ({ ordinal: from + i + 1, value: JSON.parse(line) as unknown }));
        alerts += pipeline.processBatch(batch).length;
      }
    };
    const streaming = async (): Promise<void> => {
      const chunks = Readable.from(chunked(ndjson, 1 << 20));
      for await (const batch of readRecordBatches(chunks)) alerts += pipeline.processBatch(batch).length;
    };

    // Warm up both paths so the JIT has compiled them before timing.
    parseOnly();
    inMemory();
    await streaming();
    const best = { parse: Infinity, pipeline: Infinity, streaming: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      best.parse = Math.min(best.parse, time(parseOnly));
      best.pipeline = Math.min(best.pipeline, time(inMemory));
      best.streaming = Math.min(best.streaming, await timeAsync(streaming));
    }
    if (parsed === 0) throw new Error('nothing parsed');
    const perSecond = (ms: number): number => (count / ms) * 1000;
    const runs = 2 + ROUNDS * 2; // alerts were counted on every in-memory and streaming pass
    return {
      records: count,
      rules: pipeline.rules.length,
      alerts: Math.round(alerts / runs),
      parseOnlyPerSecond: perSecond(best.parse),
      pipelinePerSecond: perSecond(best.pipeline),
      streamingPerSecond: perSecond(best.streaming),
      ratio: best.parse / best.pipeline,
      streamingRatio: best.parse / best.streaming,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

async function timeAsync(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function* chunked(buffer: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

// --- The generated project -------------------------------------------------------------

/** Other log types first, so each CloudTrail record is also turned down by three schemas. */
const SCHEMAS = {
  'duo:administrator': { parser: 'json', schema: { action: 'string', description: 'string', object: 'string', timestamp: 'integer', username: 'string' } },
  'duo:authentication': {
    parser: 'json',
    schema: { access_device: {}, application: {}, auth_device: {}, factor: 'string', isotimestamp: 'string', reason: 'string', result: 'string', timestamp: 'integer', user: {} },
  },
  'github:audit': { parser: 'json', schema: { action: 'string', actor: 'string', created_at: 'integer', data: {}, org: 'string' }, configuration: { optional_top_level_keys: ['data', 'org'] } },
  'cloudtrail:api': {
    parser: 'json',
    schema: {
      additionalEventData: {},
      awsRegion: 'string',
      errorCode: 'string',
      errorMessage: 'string',
      eventCategory: 'string',
      eventID: 'string',
      eventName: 'string',
      eventSource: 'string',
      eventTime: 'string',
      eventType: 'string',
      eventVersion: 'string',
      managementEvent: 'boolean',
      readOnly: 'boolean',
      recipientAccountId: 'string',
      requestID: 'string',
      requestParameters: {},
      resources: [],
      responseElements: {},
      sourceIPAddress: 'string',
      tlsDetails: {},
      userAgent: 'string',
      userIdentity: {},
    },
    configuration: { optional_top_level_keys: ['additionalEventData', 'errorCode', 'errorMessage', 'eventCategory', 'managementEvent', 'readOnly', 'requestID', 'resources', 'tlsDetails'] },
  },
};

/** Twenty rules in the spirit of StreamAlert's community CloudTrail rules: field checks, nested lookups, sets, regexes. */
const RULES: Array<[name: string, options: string, body: string]> = [
  ['root_usage', "reqSubkeys: { userIdentity: ['type'] }", "rec.userIdentity.type === 'Root' && rec.userIdentity.invokedBy === undefined"],
  ['acl_ingress_anywhere', '', "rec.eventName === 'CreateNetworkAclEntry' && rec.requestParameters?.cidrBlock === '0.0.0.0/0' && rec.requestParameters?.egress === false"],
  ['sg_ingress_anywhere', '', "rec.eventName === 'AuthorizeSecurityGroupIngress' && JSON.stringify(rec.requestParameters ?? {}).includes('0.0.0.0/0')"],
  ['trail_stopped', '', "rec.eventSource === 'cloudtrail.amazonaws.com' && (rec.eventName === 'StopLogging' || rec.eventName === 'DeleteTrail')"],
  ['console_login_no_mfa', '', "rec.eventName === 'ConsoleLogin' && rec.additionalEventData?.MFAUsed === 'No'"],
  ['failed_console_login', '', "rec.eventName === 'ConsoleLogin' && rec.responseElements?.ConsoleLogin === 'Failure'"],
  ['access_denied_burst', '', "rec.errorCode === 'AccessDenied' && rec.userIdentity?.type === 'IAMUser' && rec.eventSource === 'iam.amazonaws.com'"],
  ['kms_key_deletion', '', "rec.eventName === 'ScheduleKeyDeletion' || rec.eventName === 'DisableKey'"],
  ['s3_bucket_public_acl', '', "rec.eventName === 'PutBucketAcl' && /AllUsers|AuthenticatedUsers/.test(JSON.stringify(rec.requestParameters))"],
  ['iam_user_created', '', "rec.eventName === 'CreateUser' && rec.eventSource === 'iam.amazonaws.com'"],
  ['iam_admin_policy_attached', '', "rec.eventName === 'AttachUserPolicy' && String(rec.requestParameters?.policyArn).endsWith('/AdministratorAccess')"],
  ['access_key_created_for_other', '', "rec.eventName === 'CreateAccessKey' && rec.requestParameters?.userName !== undefined && rec.requestParameters.userName !== rec.userIdentity?.userName"],
  ['guardduty_disabled', '', "rec.eventSource === 'guardduty.amazonaws.com' && rec.eventName === 'DeleteDetector'"],
  ['config_recorder_stopped', '', "rec.eventName === 'StopConfigurationRecorder'"],
  ['ec2_snapshot_public', '', "rec.eventName === 'ModifySnapshotAttribute' && JSON.stringify(rec.requestParameters ?? {}).includes('\"group\":\"all\"')"],
  ['unusual_region', "context: { allowed: ['us-east-1', 'us-west-2', 'eu-west-1'] }", '!(context.allowed as string[]).includes(rec.awsRegion)'],
  ['tor_user_agent', '', '/tor-browser|curl\\/7\\.1\\d/i.test(rec.userAgent)'],
  ['mfa_device_deactivated', '', "rec.eventName === 'DeactivateMFADevice' || rec.eventName === 'DeleteVirtualMFADevice'"],
  ['lambda_public_permission', '', "rec.eventName.startsWith('AddPermission') && rec.requestParameters?.principal === '*'"],
  ['assumed_role_from_outside', "reqSubkeys: { userIdentity: ['arn'] }", "rec.userIdentity.type === 'AssumedRole' && !String(rec.userIdentity.arn).includes(`:${rec.recipientAccountId}:`)"],
];

function writeBenchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamalert-bench-'));
  mkdirSync(join(dir, 'conf', 'schemas'), { recursive: true });
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  // The rules import 'streamalert' as a user's project would; point it at this checkout.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(resolve(dirname(fileURLToPath(import.meta.url)), '..'), join(dir, 'node_modules', 'streamalert'), 'dir');
  writeFileSync(join(dir, 'conf', 'outputs.json'), JSON.stringify({ slack: ['bench'] }));
  writeFileSync(join(dir, 'conf', 'schemas', 'bench.json'), JSON.stringify(SCHEMAS));
  const rules = RULES.map(
    ([name, options, body]) =>
      `export const ${name} = rule({ logs: ['cloudtrail:api'], outputs: ['slack:bench']${options ? `, ${options}` : ''} }, (rec, context) => ${body});\n`,
  );
  writeFileSync(join(dir, 'rules', 'cloudtrail.ts'), `import { rule } from 'streamalert';\n\n${rules.join('')}`);
  return dir;
}

const EVENT_NAMES = [
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['ec2.amazonaws.com', 'RunInstances'],
  ['ec2.amazonaws.com', 'CreateNetworkAclEntry'],
  ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress'],
  ['s3.amazonaws.com', 'GetObject'],
  ['s3.amazonaws.com', 'PutObject'],
  ['s3.amazonaws.com', 'PutBucketAcl'],
  ['iam.amazonaws.com', 'ListUsers'],
  ['iam.amazonaws.com', 'CreateAccessKey'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['lambda.amazonaws.com', 'Invoke'],
  ['signin.amazonaws.com', 'ConsoleLogin'],
  ['cloudtrail.amazonaws.com', 'LookupEvents'],
] as const;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const AGENTS = ['aws-cli/2.15.40 Python/3.11.8 Linux/6.1 exe/x86_64', 'Boto3/1.34.84 md/Botocore#1.34.84 Python/3.12.2', 'console.amazonaws.com', 'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2'];

/** Deterministic CloudTrail-like events, one JSON line each (about 1.3 KB), some rare enough to fire rules. */
function generateLines(count: number): string[] {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const [eventSource, eventName] = pick(EVENT_NAMES);
    const account = random() < 0.95 ? '123456789012' : '210987654321';
    const identityType = random() < 0.001 ? 'Root' : pick(['IAMUser', 'AssumedRole', 'AssumedRole', 'AWSService']);
    const event: Record<string, unknown> = {
      eventVersion: '1.08',
      userIdentity: {
        type: identityType,
        principalId: `AROA${hex(16).toUpperCase()}:session-${i % 97}`,
        arn: `arn:aws:sts::${account}:assumed-role/deploy-role/session-${i % 97}`,
        accountId: account,
        accessKeyId: `ASIA${hex(16).toUpperCase()}`,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: `AROA${hex(12).toUpperCase()}`, arn: `arn:aws:iam::${account}:role/deploy-role`, accountId: account, userName: 'deploy-role' },
          attributes: { creationDate: '2024-05-14T08:00:00Z', mfaAuthenticated: random() < 0.5 ? 'true' : 'false' },
        },
      },
      eventTime: new Date(Date.UTC(2024, 4, 14) + i * 1000).toISOString().replace('.000', ''),
      eventSource,
      eventName,
      awsRegion: random() < 0.99 ? pick(REGIONS.slice(0, 3)) : pick(REGIONS),
      sourceIPAddress: `${Math.floor(random() * 223) + 1}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`,
      userAgent: pick(AGENTS),
      requestParameters:
        eventName === 'CreateNetworkAclEntry'
          ? { networkAclId: `acl-${hex(17)}`, ruleNumber: 100, egress: false, ruleAction: 'allow', portRange: { from: 443, to: 443 }, aclProtocol: '6', cidrBlock: random() < 0.05 ? '0.0.0.0/0' : '10.0.0.0/8' }
          : { instancesSet: { items: [{ instanceId: `i-${hex(17)}` }] }, filterSet: {}, bucketName: `bucket-${i % 50}`, key: `logs/${hex(8)}.json.gz` },
      responseElements: null,
      requestID: hex(8) + '-' + hex(4) + '-' + hex(4) + '-' + hex(4) + '-' + hex(12),
      eventID: hex(8) + '-' + hex(4) + '-' + hex(4) + '-' + hex(4) + '-' + hex(12),
      readOnly: eventName.startsWith('Describe') || eventName.startsWith('Get') || eventName.startsWith('List'),
      resources: [{ accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::bucket-${i % 50}` }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${eventSource.split('.')[0]}.us-east-1.amazonaws.com` },
    };
    if (random() < 0.02) event.errorCode = 'AccessDenied';
    lines.push(JSON.stringify(event));
  }
  return lines;
}

// Run alone: node bin/run-ts.js bench/classify.ts
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runClassifyBench(Number(process.env.BENCH_RECORDS ?? 100_000));
  printClassifyBench(result);
}

/** Prints a result the way bench/index.ts shows every benchmark. */
export function printClassifyBench(result: ClassifyBenchResult): void {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(`Classify + rules, ${fmt(result.records)} CloudTrail-like NDJSON records, ${result.rules} rules, 4 schemas, ${fmt(result.alerts)} alerts`);
  console.log(`  JSON.parse alone:                          ${fmt(result.parseOnlyPerSecond)} records/s`);
  console.log(`  JSON.parse + classify + rules (in memory): ${fmt(result.pipelinePerSecond)} records/s`);
  console.log(`  streaming reader + classify + rules:       ${fmt(result.streamingPerSecond)} records/s`);
  console.log(`  ratio: ${result.ratio.toFixed(2)} (goal >= 0.50); streaming: ${result.streamingRatio.toFixed(2)}`);
}
