import { Aws, CfnRule, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { DeliveryStream, EnableLogging, S3Bucket, StreamEncryption } from 'aws-cdk-lib/aws-kinesisfirehose';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { firehoseBucketName, type OwnOutput } from './own-outputs.ts';

/** Alerts are evidence: a created log group keeps them a year (CloudWatch's default keeps them forever, billed). */
const LOG_RETENTION = RetentionDays.ONE_YEAR;

/**
 * The resources of the outputs marked as ours (conf/global.json `deploy.createOutputs`, checked
 * by ownOutputs), under the names the outputs use, so the grants of output-grants.ts name them
 * as they name any output's: S3 buckets (encrypted, versioned, public access blocked, SSL only,
 * kept on destroy), SNS topics (the AWS managed key), SQS queues (SQS-managed encryption), log
 * groups (a year's retention, kept), and Firehose delivery streams into one bucket of ours.
 */
export class OwnOutputResources extends Construct {
  #firehoseBucket: Bucket | undefined;
  readonly #prefix: string;

  constructor(scope: Construct, id: string, props: { prefix: string; outputs: readonly OwnOutput[] }) {
    super(scope, id);
    this.#prefix = props.prefix;
    props.outputs.forEach((output, i) => {
      this.#create(output, `${output.service.replace(/(^|-)([a-z])/g, (_m, _dash, c: string) => c.toUpperCase())}${i}`);
      // A configured ARN or URL names an account: deploying into another would create a resource the output never reaches.
      if (output.account) {
        new CfnRule(this, `${i}InThisAccount`, {
          assertions: [{ assert: Fn.conditionEquals(Aws.ACCOUNT_ID, output.account), assertDescription: `${output.output} names account ${output.account}: deploy it there, or configure it by name` }],
        });
      }
    });
  }

  #create(output: OwnOutput, id: string): void {
    switch (output.service) {
      case 'aws-s3':
        this.#bucket(id, output.name);
        break;
      case 'aws-sns':
        new Topic(this, id, { topicName: output.name, enforceSSL: true, masterKey: Alias.fromAliasName(this, `${id}Key`, 'alias/aws/sns') });
        break;
      case 'aws-sqs':
        new Queue(this, id, { queueName: output.name, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
        break;
      case 'aws-cloudwatch-log':
        new LogGroup(this, id, { logGroupName: output.name, retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
        break;
      case 'aws-firehose': {
        this.#firehoseBucket ??= this.#bucket('FirehoseBucket', firehoseBucketName(this.#prefix));
        // The stream's own delivery errors: a named group, so destroy's kept list names it.
        const bucket = this.#firehoseBucket;
        const errors = new LogGroup(this, `${id}Errors`, { logGroupName: `/aws/kinesisfirehose/${output.name}`, retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
        // CDK's destination would grant read, write and delete on the whole bucket: this role gets
        // AWS's list for an S3 destination, on this stream's prefixes only, and its error log group.
        const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('firehose.amazonaws.com'), description: `Firehose ${output.name}: writes to ${bucket.bucketName}/${output.name}/` });
        const policy = new Policy(this, `${id}Policy`, {
          roles: [role],
          statements: [
            new PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [bucket.bucketArn] }),
            new PolicyStatement({ actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], resources: [`${bucket.bucketArn}/${output.name}/*`, `${bucket.bucketArn}/${output.name}-errors/*`] }),
            new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [errors.logGroupArn] }),
          ],
        });
        const stream = new DeliveryStream(this, id, {
          deliveryStreamName: output.name,
          encryption: StreamEncryption.awsOwnedKey(),
          destination: new S3Bucket(bucket, {
            dataOutputPrefix: `${output.name}/`,
            errorOutputPrefix: `${output.name}-errors/`,
            loggingConfig: new EnableLogging(errors),
            role: role.withoutPolicyUpdates(),
          }),
        });
        // Firehose checks it can write when the stream is created: the policy comes first.
        stream.node.addDependency(policy);
        break;
      }
    }
  }

  #bucket(id: string, bucketName: string): Bucket {
    return new Bucket(this, id, {
      bucketName,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
