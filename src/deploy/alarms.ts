import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type Unit } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OLDEST_PENDING_METRIC } from './names.ts';

/** An alert waiting this long for its first delivery means the processors are not keeping up (or an output is down). */
const OLDEST_PENDING_ALARM_SECONDS = 15 * 60;

/**
 * The stack's alarms, all sent to one SNS topic (`<prefix>_streamalert_alarms`; subscribe to it):
 * anything in a dead-letter queue, any function error, and the oldest pending delivery's age as
 * the alert sweeper publishes it (OLDEST_PENDING_METRIC, an embedded-metric-format log line, so
 * no PutMetricData grant is needed).
 */
export class Alarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { prefix: string; deadLetterQueues: readonly Queue[]; functions: readonly LambdaFn[] }) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { topicName: `${props.prefix}_streamalert_alarms`, enforceSSL: true });
    const action = new SnsAction(this.topic);
    const notify = (created: Alarm): void => {
      created.addAlarmAction(action);
      created.addOkAction(action);
    };
    for (const queue of props.deadLetterQueues) {
      const alarmId = `${queue.node.id}DeadLetters`;
      notify(queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }).createAlarm(this, alarmId, {
        alarmDescription: `Dead letters in ${queue.node.path}: read them (aws sqs receive-message) and see docs/aws.md`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }));
    }
    for (const fn of props.functions) {
      const alarmId = `${fn.node.id}Errors`;
      notify(fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(this, alarmId, {
        alarmDescription: `Invocations of ${fn.node.id} failed: see its log group`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }));
    }
    const oldestPending = new Metric({
      namespace: OLDEST_PENDING_METRIC.namespace,
      metricName: OLDEST_PENDING_METRIC.metricName,
      dimensionsMap: { [OLDEST_PENDING_METRIC.dimension]: props.prefix },
      // The unit the log line declares: an alarm with another unit would see no data.
      unit: OLDEST_PENDING_METRIC.unit as Unit,
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
    notify(oldestPending.createAlarm(this, 'OldestPendingDelivery', {
      alarmDescription: `A delivery has been pending over ${OLDEST_PENDING_ALARM_SECONDS / 60} minutes: 'streamalert alerts list --status pending' says which output`,
      threshold: OLDEST_PENDING_ALARM_SECONDS,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }));
  }
}
