import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode, type IStream } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition, type Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SnsEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AwsInputs, KinesisInput, S3Input, SnsInput, SqsInput } from './config.ts';
import type { DeadLetters } from './dead-letters.ts';
import { FUNCTIONS } from './names.ts';

/** Receive attempts before SQS moves a message to the dead letters (each attempt is a whole Lambda retry of the batch item). */
const MAX_RECEIVES = 5;
/** AWS's advice for a queue a function reads: a visibility timeout of six times the function's timeout. */
const VISIBILITY = Duration.seconds(6 * FUNCTIONS.rulesEngine.timeoutSeconds);

/**
 * The rules engine's triggers from `inputs` in conf/global.json: each Kinesis stream and SQS
 * queue through an event source mapping that reports partial batch failures, each SNS topic
 * through a subscription with a dead-letter queue, each S3 bucket's object-created notifications
 * through an SQS queue of ours (so a throttled function loses none). Resources named by `name`
 * are created (S3 buckets kept on destroy); `existing: true` or `arn` ones are only read.
 */
export class Inputs extends Construct {
  readonly #fn: LambdaFn;
  readonly #deadLetters: DeadLetters;
  readonly #prefix: string;

  constructor(scope: Construct, id: string, props: { prefix: string; inputs: AwsInputs; rulesEngine: LambdaFn; deadLetters: DeadLetters }) {
    super(scope, id);
    this.#fn = props.rulesEngine;
    this.#deadLetters = props.deadLetters;
    this.#prefix = props.prefix;
    props.inputs.kinesis.forEach((input, i) => this.#kinesis(input, `Kinesis${i}`));
    props.inputs.sqs.forEach((input, i) => this.#sqs(input, `Sqs${i}`));
    props.inputs.sns.forEach((input, i) => this.#sns(input, `Sns${i}`));
    props.inputs.s3.forEach((input, i) => this.#s3(input, `S3${i}`));
  }

  #kinesis(input: KinesisInput, id: string): void {
    const stream: IStream = input.name && !input.existing
      ? new Stream(this, id, {
          streamName: input.name,
          streamMode: input.shards ? StreamMode.PROVISIONED : StreamMode.ON_DEMAND,
          ...(input.shards ? { shardCount: input.shards } : {}),
          encryption: StreamEncryption.MANAGED,
        })
      : Stream.fromStreamArn(this, id, input.arn ?? Stack.of(this).formatArn({ service: 'kinesis', resource: 'stream', resourceName: input.name! }));
    this.#fn.addEventSource(
      new KinesisEventSource(stream, {
        startingPosition: input.startingPosition === 'LATEST' ? StartingPosition.LATEST : StartingPosition.TRIM_HORIZON,
        batchSize: input.batchSize,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        // Bounded: a record that always fails would otherwise hold up its shard until it expires.
        retryAttempts: 5,
        onFailure: new SqsDlq(this.#deadLetters.rulesEngine),
      }),
    );
  }

  #sqs(input: SqsInput, id: string): void {
    const queue: IQueue = input.name && !input.existing
      ? this.#queue(id, input.name)
      : Queue.fromQueueArn(this, id, input.arn ?? `arn:${Aws.PARTITION}:sqs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${input.name}`);
    this.#fn.addEventSource(new SqsEventSource(queue, { batchSize: input.batchSize, reportBatchItemFailures: true }));
  }

  #sns(input: SnsInput, id: string): void {
    const topic: ITopic = input.name && !input.existing
      ? new Topic(this, id, { topicName: input.name, enforceSSL: true })
      : Topic.fromTopicArn(this, id, input.arn ?? `arn:${Aws.PARTITION}:sns:${Aws.REGION}:${Aws.ACCOUNT_ID}:${input.name}`);
    // What SNS cannot hand to the function goes to the dead letters; what the function fails on, to its onFailure destination.
    this.#fn.addEventSource(new SnsEventSource(topic, { deadLetterQueue: this.#deadLetters.rulesEngine }));
  }

  #s3(input: S3Input, id: string): void {
    const bucketName = input.name ?? input.arn!.slice(input.arn!.lastIndexOf(':') + 1);
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    const queue = this.#queue(`${id}Notifications`, `${this.#prefix}_streamalert_s3_${bucketName.replace(/\./g, '_')}`.slice(0, 80));
    const sendPolicy = queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnLike: { 'aws:SourceArn': bucketArn }, StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    if (input.name && !input.existing) {
      const bucket = new Bucket(this, id, {
        bucketName,
        encryption: BucketEncryption.S3_MANAGED,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // The bucket's own NotificationConfiguration, not CDK's notifications custom resource (a
      // function allowed s3:PutBucketNotification on every bucket). S3 checks it can send to the
      // queue when the configuration is set, so the queue's policy comes first.
      const cfn = bucket.node.defaultChild as CfnBucket;
      cfn.notificationConfiguration = {
        queueConfigurations: [{ event: 's3:ObjectCreated:*', queue: queue.queueArn, filter: keyFilter(input) }],
      };
      if (sendPolicy.policyDependable) cfn.node.addDependency(sendPolicy.policyDependable);
    } else {
      // A bucket that is not ours keeps its own notification configuration: docs/aws.md shows the one call that adds this queue.
      new CfnOutput(this, `${id}NotificationQueue`, { description: `Send s3:ObjectCreated:* notifications of ${bucketName} here`, value: queue.queueArn });
    }
    this.#fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [`${bucketArn}/${input.prefix}*`] }));
    this.#fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
  }

  #queue(id: string, queueName: string): Queue {
    return new Queue(this, id, {
      queueName,
      visibilityTimeout: VISIBILITY,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.#deadLetters.rulesEngine, maxReceiveCount: MAX_RECEIVES },
    });
  }
}

function keyFilter(input: S3Input): CfnBucket.NotificationFilterProperty | undefined {
  const rules = [
    ...(input.prefix ? [{ name: 'prefix', value: input.prefix }] : []),
    ...(input.suffix ? [{ name: 'suffix', value: input.suffix }] : []),
  ];
  return rules.length > 0 ? { s3Key: { rules } } : undefined;
}
