import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type Project } from '../../src/config/project.ts';
import { bundleFunctions, type FunctionCode } from '../../src/deploy/function-code.ts';
import { keptAndDeleted } from '../../src/deploy/kept.ts';
import type { FunctionRole } from '../../src/deploy/names.ts';
import { StreamAlertStack } from '../../src/deploy/stack.ts';
import { oldestPendingMetricLine } from '../../src/lambda/oldest-pending-metric.ts';
import { tempProject } from '../support/rules-project.ts';

// Two stacks synthesized once each (synthesis takes seconds) from one bundle of the functions,
// every assertion reading those templates: the S3 + KMS backend with one input of every kind,
// and the SSM backend with none.

const INPUTS = {
  kinesis: [{ name: 'acme_logs' }, { arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/theirs', batchSize: 500 }],
  sqs: [{ name: 'acme_queue' }, { name: 'their_queue', existing: true }],
  sns: [{ name: 'acme_topic' }],
  s3: [{ name: 'acme-cloudtrail', prefix: 'AWSLogs/', suffix: '.json.gz' }, { arn: 'arn:aws:s3:::their-logs' }],
};
const OUTPUTS = {
  'aws-s3': { audit: 'acme-audit', archive: 'acme-alerts-archive' },
  'aws-sns': { byname: 'alerts-topic', byarn: 'arn:aws:sns:eu-west-1:123456789012:alerts', ours: 'acme-alerts' },
  'aws-sqs': { q: 'https://sqs.eu-west-1.amazonaws.com/123456789012/alert-queue', ours: 'https://sqs.us-east-1.amazonaws.com/123456789012/acme-alert-queue' },
  'aws-lambda': { enrich: 'enrich:production' },
  'aws-firehose': { lake: 'alerts-stream', ours: 'acme-alerts-lake' },
  'aws-cloudwatch-log': { ours: 'acme/alerts' },
  slack: ['sec'],
};
/** The outputs marked as ours: the stack creates their resources (the rest it only grants). */
const CREATE_OUTPUTS = ['aws-s3:archive', 'aws-sns:ours', 'aws-sqs:ours', 'aws-firehose:ours', 'aws-cloudwatch-log:ours'];

function project(global: object, outputs: object = {}, files: Record<string, string | object> = {}): Project {
  return loadProject(tempProject({ 'conf/global.json': global, 'conf/outputs.json': outputs, ...files }));
}

const ASSUME_ROLES = ['arn:aws:iam::210987654321:role/streamalert-invoke', 'arn:aws:iam::123456789012:role/lambda-v2-*'];
/** Lookup tables in S3 and DynamoDB, one whose config is broken (disabled when the project loads: not granted), and threat intel in DynamoDB. */
const ENRICHMENT = {
  'conf/lookup_tables.json': {
    enabled: true,
    tables: {
      ips: { driver: 's3', bucket: 'acme-lookups', key: 'tables/ips.json.gz', compression: 'gzip' },
      owners: { driver: 'dynamodb', table: 'acme_owners', partition_key: 'host', value_key: 'owner' },
      broken: { driver: 'dynamodb', table: 'acme_broken' },
      local: { driver: 'file', path: 'data/owners.json' },
    },
  },
  'data/owners.json': { 'web-1': 'alice' },
  'conf/threat_intel.json': { enabled: true, dynamodb_table_name: 'acme_iocs', file: 'intel/iocs.csv' },
  'intel/iocs.csv': 'ioc_value,ioc_type\n203.0.113.7,ip\n',
};

function synth(from: Project, code: Record<FunctionRole, FunctionCode>): Template {
  const app = new App({ analyticsReporting: false });
  return Template.fromStack(new StreamAlertStack(app, 'test-streamalert', { project: from, code, env: { region: 'us-east-1' } }));
}

const assets = mkdtempSync(join(tmpdir(), 'streamalert-functions-'));
afterAll(() => rmSync(assets, { recursive: true, force: true }));
let s3Kms: Template;
let ssm: Template;

beforeAll(async () => {
  const withInputs = project(
    { account: { prefix: 'acme', region: 'us-east-1' }, secrets: { backend: 'aws-s3-kms' }, store: { backend: 'dynamodb' }, inputs: INPUTS, deploy: { assumeRoles: ASSUME_ROLES, createOutputs: CREATE_OUTPUTS } },
    OUTPUTS,
    ENRICHMENT,
  );
  const code = await bundleFunctions(withInputs, assets);
  s3Kms = synth(withInputs, code);
  ssm = synth(project({ account: { prefix: 'acme', region: 'us-east-1' }, secrets: { backend: 'aws-ssm' }, store: { backend: 'dynamodb' } }, { 'aws-s3': { audit: 'acme-audit' } }), code);
});

/** Every statement of every IAM policy in a template: AWS::IAM::Policy documents and roles' inline policies. */
function iamStatements(template: Template): { policy: string; Action: string | string[]; Resource: unknown }[] {
  const statements: { policy: string; Action: string | string[]; Resource: unknown }[] = [];
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    for (const statement of policy.Properties.PolicyDocument.Statement) statements.push({ policy: id, ...statement });
  }
  for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const inline of role.Properties.Policies ?? []) for (const statement of inline.PolicyDocument.Statement) statements.push({ policy: `${id}/${inline.PolicyName}`, ...statement });
  }
  return statements;
}

const DATA_SERVICES = ['s3', 'dynamodb', 'kinesis', 'sqs', 'sns', 'kms', 'ssm', 'lambda', 'firehose', 'logs'];

/** CDK's Template checks throw, naming the mismatch, when they fail: this makes each an assertion vitest counts. */
function holds(check: () => void): void {
  expect(check).not.toThrow();
}

describe('the stack from conf/', () => {
  it('has the alerts table the DynamoDB store uses: keys, due index, on demand, TTL, PITR, a NEW_IMAGE stream, kept on destroy', () => {
    holds(() => s3Kms.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        TableName: 'acme_streamalert_alerts',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'alert_id', KeyType: 'HASH' },
          { AttributeName: 'output', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'due', KeySchema: [{ AttributeName: 'queue', KeyType: 'HASH' }, { AttributeName: 'next_attempt_at', KeyType: 'RANGE' }] })],
        TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    }));
  });

  it('has the three functions, bundled (no Docker), with their handlers and the project folder', () => {
    for (const [name, handler] of [
      ['acme_streamalert_rules_engine', 'index.rulesEngine'],
      ['acme_streamalert_alert_processor', 'index.alertStreamProcessor'],
      ['acme_streamalert_alert_sweeper', 'index.alertProcessor'],
    ]) {
      holds(() => s3Kms.hasResourceProperties('AWS::Lambda::Function', { FunctionName: name, Handler: handler, Runtime: 'nodejs22.x', Environment: { Variables: { STREAMALERT_PROJECT: '/var/task/project' } } }));
    }
  });

  it('triggers the alert processor from the table stream on new items, reporting partial batch failures, and the sweeper every minute', () => {
    holds(() => s3Kms.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsTable'), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    }));
    holds(() => s3Kms.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })] }));
  });

  it('gives every Kinesis stream and SQS queue of inputs (S3 notification queues too) an event source that reports partial batch failures', () => {
    const mappings = Object.values(s3Kms.findResources('AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
    const rulesEngine = mappings.filter((m) => JSON.stringify(m.FunctionName).includes('FunctionsrulesEngine'));
    // 2 Kinesis + 2 SQS + 2 S3 notification queues.
    expect(rulesEngine).toHaveLength(6);
    for (const mapping of rulesEngine) expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(rulesEngine.map((m) => m.EventSourceArn)).toEqual(
      expect.arrayContaining(['arn:aws:kinesis:us-east-1:123456789012:stream/theirs', { 'Fn::GetAtt': [expect.stringMatching(/^InputsKinesis0/), 'Arn'] }]),
    );
    const kinesis = rulesEngine.filter((m) => m.StartingPosition);
    expect(kinesis.map((m) => m.BatchSize).sort()).toEqual([100, 500]);
    for (const mapping of kinesis) expect(mapping.DestinationConfig.OnFailure.Destination).toBeDefined();
    s3Kms.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'acme_logs', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    s3Kms.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'acme_queue', RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }) });
  });

  it('subscribes the rules engine to SNS topics with a dead-letter queue, and sends S3 notifications through SQS', () => {
    s3Kms.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'acme_topic' });
    s3Kms.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', RedrivePolicy: Match.anyValue() });
    s3Kms.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: 'acme-cloudtrail',
        NotificationConfiguration: {
          QueueConfigurations: [
            { Event: 's3:ObjectCreated:*', Queue: Match.anyValue(), Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'AWSLogs/' }, { Name: 'suffix', Value: '.json.gz' }] } } },
          ],
        },
      }),
    });
    // A bucket not ours: its queue's ARN is an output, for the notification its owner adds.
    expect(Object.values(s3Kms.findOutputs('*')).some((output) => /their-logs/.test(output.Description ?? ''))).toBe(true);
    // No notifications custom resource: it would need s3:PutBucketNotification on every bucket.
    expect(s3Kms.findResources('Custom::S3BucketNotifications')).toEqual({});
  });

  it('has the secrets bucket and KMS key under the names the credential backends use', () => {
    s3Kms.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: 'acme.streamalert.secrets',
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: Match.anyValue(),
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      }),
    });
    s3Kms.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    s3Kms.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme_streamalert_secrets' });
    s3Kms.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    ssm.resourceCountIs('AWS::KMS::Alias', 1);
    expect(Object.values(ssm.findResources('AWS::S3::Bucket')).map((b) => b.Properties?.BucketName)).not.toContain('acme.streamalert.secrets');
  });

  it("binds the key's Decrypt for the alert processors to the encryption context the backends encrypt with", () => {
    const statements = (template: Template) => Object.values(template.findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy.Statement as { Action: string; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> }[];
    const decrypts = statements(s3Kms).filter((s) => s.Action === 'kms:Decrypt');
    expect(decrypts).toHaveLength(2);
    for (const statement of decrypts) {
      expect(statement.Condition!['ForAllValues:StringEquals']).toEqual({ 'kms:EncryptionContextKeys': ['service', 'descriptor'] });
      expect(statement.Condition!.Null).toEqual({ 'kms:EncryptionContext:service': 'false', 'kms:EncryptionContext:descriptor': 'false' });
    }
    const ssmDecrypts = statements(ssm).filter((s) => s.Action === 'kms:Decrypt');
    expect(ssmDecrypts).toHaveLength(2);
    for (const statement of ssmDecrypts) {
      expect(JSON.stringify(statement.Condition!.StringLike!['kms:EncryptionContext:PARAMETER_ARN'])).toContain(':parameter/acme/streamalert/outputs/*');
      expect(statement.Condition!.StringEquals!['kms:ViaService']).toBeDefined();
    }
  });

  it('names the resources of every IAM statement: no "*" on a data service but the listed account-wide list actions', () => {
    for (const template of [s3Kms, ssm]) {
      const statements = iamStatements(template);
      expect(statements.length).toBeGreaterThan(10);
      for (const statement of statements) {
        const actions = [statement.Action].flat();
        const resources = [statement.Resource].flat();
        const dataActions = actions.filter((action) => DATA_SERVICES.includes(action.split(':')[0]!));
        // Not even a list action: the aws-sns output builds a topic's ARN with STS GetCallerIdentity, which needs no grant.
        if (resources.includes('*')) expect(dataActions, `${statement.policy}: ${actions.join(', ')} on *`).toEqual([]);
        for (const action of actions) expect(action, statement.policy).not.toMatch(/:\*$|^\*$/);
      }
    }
    // CDK's default execution role would bring AWSLambdaBasicExecutionRole (logs on every log group).
    for (const role of Object.values(s3Kms.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('grants the outputs conf/outputs.json names, on their resources, to the alert processors only', () => {
    const granted = iamStatements(s3Kms).map((s) => ({ ...s, text: JSON.stringify(s) }));
    const find = (action: string, resource: string) => granted.filter((s) => [s.Action].flat().includes(action) && s.text.includes(resource)).map((s) => s.policy);
    const processors = (policies: string[]) => expect(policies.sort()).toEqual([expect.stringMatching(/alertStreamProcessor/), expect.stringMatching(/alertSweeper/)]);
    processors(find('s3:PutObject', ':s3:::acme-audit/*'));
    processors(find('sns:Publish', 'arn:aws:sns:eu-west-1:123456789012:alerts'));
    processors(find('sns:Publish', ':alerts-topic'));
    processors(find('sqs:SendMessage', ':sqs:eu-west-1:123456789012:alert-queue'));
    processors(find('lambda:InvokeFunction', ':function:enrich'));
    processors(find('firehose:PutRecord', ':deliverystream/alerts-stream'));
    processors(find('s3:GetObject', 'SecretsBucket'));
    expect(find('s3:GetObject', ':s3:::acme-cloudtrail/AWSLogs/*')).toEqual([expect.stringMatching(/rulesEngine/)]);
    // aws-lambda-v2's role is encrypted with its credentials: the roles deploy.assumeRoles lists, and only with such a list.
    expect(granted.filter((s) => [s.Action].flat().includes('sts:AssumeRole')).map((s) => [s.policy, s.Resource])).toEqual([
      [expect.stringMatching(/alertStreamProcessor/), ASSUME_ROLES],
      [expect.stringMatching(/alertSweeper/), ASSUME_ROLES],
    ]);
    expect(JSON.stringify(iamStatements(ssm))).not.toContain('sts:AssumeRole');
    const ssmGrants = iamStatements(ssm).filter((s) => [s.Action].flat().includes('ssm:GetParameter'));
    expect(ssmGrants).toHaveLength(2);
    expect(JSON.stringify(ssmGrants)).toContain(':parameter/acme/streamalert/outputs/*');
  });

  it('lets the rules engine alone read the lookup tables and threat intel conf/ names in S3 and DynamoDB, each on its resource', () => {
    const reads = iamStatements(s3Kms).filter((s) => /acme-lookups|acme_owners|acme_iocs|acme_broken/.test(JSON.stringify(s.Resource)));
    expect(reads.map((s) => [s.policy, s.Action, JSON.stringify(s.Resource)])).toEqual([
      [expect.stringMatching(/rulesEngine/), 's3:GetObject', expect.stringMatching(/":s3:::acme-lookups\/tables\/ips\.json\.gz"/)],
      [expect.stringMatching(/rulesEngine/), 'dynamodb:Scan', expect.stringMatching(/":dynamodb:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":table\/acme_owners"/)],
      [expect.stringMatching(/rulesEngine/), 'dynamodb:BatchGetItem', expect.stringMatching(/:table\/acme_iocs"/)],
    ]);
    // Local files they name are packaged with the functions wherever in the project they are.
    for (const file of ['data/owners.json', 'intel/iocs.csv']) expect(existsSync(join(assets, 'rulesEngine', 'project', file)), file).toBe(true);
    // The SSM project has neither file: no reads of its own.
    expect(JSON.stringify(iamStatements(ssm))).not.toMatch(/acme-lookups|acme_owners|acme_iocs/);
  });

  it('sends failed asynchronous invocations to dead-letter queues, and alarms on dead letters, function errors and the oldest pending delivery', () => {
    s3Kms.resourcePropertiesCountIs('AWS::Lambda::EventInvokeConfig', { DestinationConfig: { OnFailure: { Destination: Match.anyValue() } } }, 2);
    s3Kms.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'acme_streamalert_alarms' });
    const alarms = Object.values(s3Kms.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(2);
    expect(alarms.filter((a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda')).toHaveLength(3);
    expect(alarms.filter((a) => a.MetricName === 'OldestPendingDeliveryAgeSeconds' && a.Namespace === 'StreamAlert')).toHaveLength(1);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
  });

  it('creates the resources of the outputs deploy.createOutputs marks as ours, under their configured names, and no other output\'s', () => {
    s3Kms.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: 'acme-alerts-archive',
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      }),
    });
    s3Kms.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^OwnOutputsAwsS3') },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const topic = Object.values(s3Kms.findResources('AWS::SNS::Topic')).find((t) => t.Properties.TopicName === 'acme-alerts');
    // The AWS managed key, by its alias's ARN.
    expect(JSON.stringify(topic?.Properties.KmsMasterKeyId)).toMatch(/:alias\/aws\/sns"/);
    // A plain queue: encrypted, no dead letters (nothing reads it but the user).
    const queue = Object.values(s3Kms.findResources('AWS::SQS::Queue')).find((q) => q.Properties.QueueName === 'acme-alert-queue');
    expect(queue?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(queue?.Properties.RedrivePolicy).toBeUndefined();
    // The queue was configured by URL: deploying into another account than the URL's is refused by a template rule.
    expect(JSON.stringify(s3Kms.toJSON().Rules)).toContain('123456789012');
    s3Kms.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { LogGroupName: 'acme/alerts', RetentionInDays: 365 } });
    s3Kms.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'acme-alerts-lake',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: Match.objectLike({ BucketARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OwnOutputsFirehoseBucket'), 'Arn'] }, Prefix: 'acme-alerts-lake/' }),
    });
    s3Kms.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ BucketName: 'acme.streamalert.firehose', VersioningConfiguration: { Status: 'Enabled' } }) });
    // The stream's role writes under its own prefixes only, and deletes nothing; its policy exists before the stream.
    const firehose = iamStatements(s3Kms).filter((s) => /OwnOutputsAwsFirehose/.test(s.policy));
    expect(firehose.flatMap((s) => [s.Action].flat()).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject']);
    expect(JSON.stringify(firehose.map((s) => s.Resource))).toMatch(/"\/acme-alerts-lake\/\*".*"\/acme-alerts-lake-errors\/\*"/);
    s3Kms.hasResource('AWS::KinesisFirehose::DeliveryStream', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('^OwnOutputsAwsFirehose\\d+Policy')]) });
    // Outputs not marked as ours stay the user's: granted, not created.
    const named = JSON.stringify(Object.values(s3Kms.toJSON().Resources as Record<string, { Properties?: unknown }>).map((r) => r.Properties));
    for (const theirs of ['"acme-audit"', '"alerts-topic"', '"alert-queue"', '"alerts-stream"']) expect(named).not.toContain(theirs);
    expect(ssm.findResources('AWS::KinesisFirehose::DeliveryStream')).toEqual({});
  });

  it('grants the outputs marked as ours as any other: the alert processors, on their names', () => {
    const granted = iamStatements(s3Kms).map((s) => ({ ...s, text: JSON.stringify(s) }));
    const find = (action: string, resource: string) => granted.filter((s) => [s.Action].flat().includes(action) && s.text.includes(resource)).map((s) => s.policy).sort();
    const processors = [expect.stringMatching(/alertStreamProcessor/), expect.stringMatching(/alertSweeper/)];
    expect(find('s3:PutObject', ':s3:::acme-alerts-archive/*')).toEqual(processors);
    expect(find('sns:Publish', ':acme-alerts"')).toEqual(processors);
    expect(find('sqs:SendMessage', ':sqs:us-east-1:123456789012:acme-alert-queue')).toEqual(processors);
    expect(find('firehose:PutRecord', ':deliverystream/acme-alerts-lake')).toEqual(processors);
    expect(find('logs:PutLogEvents', ':log-group:acme/alerts:*')).toEqual(processors);
  });

  it('lists the buckets and log groups of outputs marked as ours among what destroy keeps, and their topic and queue among what it deletes', () => {
    const templatePath = join(assets, 'stack.template.json');
    writeFileSync(templatePath, JSON.stringify(s3Kms.toJSON()));
    const { kept, deleted } = keptAndDeleted(templatePath);
    expect(kept).toEqual(
      expect.arrayContaining([
        'AWS::S3::Bucket acme-alerts-archive',
        'AWS::S3::Bucket acme.streamalert.firehose',
        'AWS::Logs::LogGroup acme/alerts',
        'AWS::Logs::LogGroup /aws/kinesisfirehose/acme-alerts-lake',
      ]),
    );
    expect(kept.join('\n')).not.toMatch(/acme-alerts-lake$|acme-alert-queue|SNS/);
    expect(deleted['AWS::KinesisFirehose::DeliveryStream']).toBe(1);
  });

  it("alarms on the oldest pending delivery exactly as the sweeper's embedded-metric-format line publishes it", () => {
    const line = JSON.parse(oldestPendingMetricLine('acme', 0, 0)) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } };
    const [{ Namespace, Dimensions, Metrics }] = line._aws.CloudWatchMetrics as [(typeof line._aws.CloudWatchMetrics)[number]];
    const [{ Name, Unit }] = Metrics as [(typeof Metrics)[number]];
    const alarms = Object.values(s3Kms.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties).filter((a) => a.Namespace === Namespace && a.MetricName === Name);
    expect(alarms).toHaveLength(1);
    // The alarm sees only data points of its unit and of exactly its dimensions: both as the line declares them.
    expect(alarms[0]).toMatchObject({ Unit, Dimensions: Dimensions[0]!.map((dimension) => ({ Name: dimension, Value: line[dimension] })), Statistic: 'Maximum', Threshold: 900 });
  });
});
