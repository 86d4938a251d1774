import type { HandlerName } from '../lambda/bundle.ts';
import { awsSecretsNames } from '../secrets/aws-names.ts';
import { EXPIRES_AT } from '../store/dynamodb-items.ts';

/**
 * Every name the stack shares with code that runs elsewhere, in one place: the handler exports of
 * the Lambda entry module (src/lambda/handlers.ts), the alerts table as the DynamoDB store names
 * and reads it (src/store/dynamodb.ts), the secrets as the credential backends name them
 * (src/secrets/aws-names.ts), and the metric the alert processors publish.
 */

/** The functions of the stack and the export of src/lambda/handlers.ts each runs. */
export const FUNCTIONS = {
  /** Records in (Kinesis, SQS, SNS, S3 via SQS) -> classifier -> rules -> alerts stored. */
  rulesEngine: { handlerExport: 'rulesEngine', memoryMb: 1024, timeoutSeconds: 300 },
  /** Triggered by the alerts table's stream: delivers the new alerts' deliveries at once. */
  alertStreamProcessor: { handlerExport: 'alertStreamProcessor', memoryMb: 512, timeoutSeconds: 300 },
  /** Every minute: what is due (retries, leases that ended) from every rules engine. */
  alertSweeper: { handlerExport: 'alertProcessor', memoryMb: 512, timeoutSeconds: 120 },
} as const satisfies Record<string, { handlerExport: HandlerName; memoryMb: number; timeoutSeconds: number }>;
export type FunctionRole = keyof typeof FUNCTIONS;

/** The alerts table's name, keys and index, as DynamoDbAlertStore creates and queries them. */
export function alertsTableName(prefix: string): string {
  return `${prefix}_streamalert_alerts`;
}
export const ALERTS_TABLE = {
  partitionKey: 'alert_id',
  sortKey: 'output',
  dueIndex: { name: 'due', partitionKey: 'queue', sortKey: 'next_attempt_at' },
  /** Epoch seconds after which DynamoDB may delete the item (TTL): the store sets it `store.retentionDays` after an alert's last delivery ends. */
  ttlAttribute: EXPIRES_AT,
} as const;

/** The custom metric the alert sweeper publishes once per invocation (an embedded-metric-format log line): age of the oldest pending delivery. */
export { OLDEST_PENDING_METRIC } from '../lambda/oldest-pending-metric.ts';

/** The secrets bucket, KMS alias and SSM parameter root (`/<prefix>/streamalert/outputs/`). */
export const secretsNames = awsSecretsNames;

/** The CloudFormation stack of a project: one per account prefix and region. */
export function stackName(prefix: string): string {
  return `${prefix}-streamalert`;
}

/** Where `deploy --synth` writes the cloud assembly, in the project folder. */
export const CDK_OUT = 'cdk.out';
