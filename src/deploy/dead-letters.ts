import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The stack's two dead-letter queues: what the rules engine could not process (a Kinesis batch
 * out of retries, an SNS message or S3 notification it kept failing on) and what an alert
 * processor invocation could not finish (a stream batch, a scheduled run). Both alarmed on.
 */
export class DeadLetters extends Construct {
  readonly rulesEngine: Queue;
  readonly alertProcessors: Queue;

  constructor(scope: Construct, id: string, props: { prefix: string }) {
    super(scope, id);
    this.rulesEngine = deadLetterQueue(this, 'RulesEngine', `${props.prefix}_streamalert_rules_engine_dlq`);
    this.alertProcessors = deadLetterQueue(this, 'AlertProcessors', `${props.prefix}_streamalert_alert_processor_dlq`);
  }
}

function deadLetterQueue(scope: Construct, id: string, queueName: string): Queue {
  // 14 days, SQS's longest retention: time to read a dead letter after a long weekend.
  return new Queue(scope, id, { queueName, retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
}
