import { z } from '../config/zod.ts';

// `inputs` in conf/global.json: what feeds the rules engine on AWS (DESIGN.md). Each entry is a
// resource `streamalert deploy` creates (`name`), one that exists in the stack's account and
// region (`name` with `existing: true`), or one that exists anywhere (`arn`). Read only by the
// deploy commands; the embedded commands ignore it.

const NAME = /^[A-Za-z0-9_.-]{1,80}$/;
const name = z.string().regex(NAME).describe('letters, digits, ".", "_" and "-", at most 80');

/** Created by the stack, or an existing one named in this account and region, or by ARN. */
function resource<Shape extends z.core.$ZodLooseShape>(arnDescription: string, arnPattern: RegExp, extra: Shape) {
  const arn = z.string().regex(arnPattern).describe(arnDescription);
  return z
    .strictObject({ name: name.optional(), arn: arn.optional(), existing: z.boolean().default(false), ...extra })
    .refine((entry) => ((entry as { name?: string }).name === undefined) !== ((entry as { arn?: string }).arn === undefined), { message: `give either "name" (with "existing": true for one that exists) or "arn"` });
}

const KinesisInputSchema = resource('a Kinesis stream ARN', /^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]{1,128}$/, {
  /** Records per invocation (Lambda's default for Kinesis is 100; at most 10,000). */
  batchSize: z.number().int().min(1).max(10_000).default(100),
  startingPosition: z.enum(['LATEST', 'TRIM_HORIZON']).default('LATEST'),
  /** Shards of a stream we create; none: on-demand capacity. */
  shards: z.number().int().min(1).max(500).optional(),
});

const SqsInputSchema = resource('an SQS queue ARN', /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/, {
  /** Messages per invocation (at most 10 for a standard queue without a batching window). */
  batchSize: z.number().int().min(1).max(10).default(10),
});

const SnsInputSchema = resource('an SNS topic ARN', /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, {});

const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
const S3InputSchema = resource('an S3 bucket ARN, arn:aws:s3:::<bucket>', new RegExp(`^arn:aws[a-z-]*:s3:::${BUCKET}$`), {
  name: z.string().regex(new RegExp(`^${BUCKET}$`)).describe('a bucket name: 3 to 63 lowercase letters, digits, "." and "-"').optional(),
  /** Only objects whose key starts with this (the notification's filter and the read grant). */
  prefix: z.string().max(1024).default(''),
  suffix: z.string().max(1024).default(''),
});

export const AwsInputsSchema = z.strictObject({
  kinesis: z.array(KinesisInputSchema).max(50).default([]),
  sqs: z.array(SqsInputSchema).max(50).default([]),
  sns: z.array(SnsInputSchema).max(50).default([]),
  /** Object-created notifications go through an SQS queue of ours, so a throttled function loses none. */
  s3: z.array(S3InputSchema).max(50).default([]),
});
export type AwsInputs = z.infer<typeof AwsInputsSchema>;

/** An IAM role ARN, `*` allowed in the name (a pattern), never as the account or the whole ARN. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_\/*-]{1,512}$/;

/**
 * `deploy` in conf/global.json: what the stack grants that conf/ cannot tell it. `assumeRoles`:
 * the roles the alert processors may assume (sts:AssumeRole), for aws-lambda-v2 outputs, whose
 * `assume_role_arn` is stored encrypted with the credentials. `createOutputs`: the AWS outputs
 * marked as ours, whose resources the stack creates.
 */
export const AwsDeploySchema = z.strictObject({
  assumeRoles: z.array(z.string().regex(ROLE_ARN).describe('an IAM role ARN, arn:aws:iam::<account>:role/<name>, "*" allowed in the name')).max(50).default([]),
  /**
   * Outputs of conf/outputs.json whose resource the stack creates (and keeps buckets and log
   * groups of on destroy) rather than only grants: checked against outputs.json by
   * src/deploy/own-outputs.ts, as only `streamalert deploy` reads it.
   */
  createOutputs: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*:[A-Za-z0-9._-]+$/).describe("an output name, service:descriptor, e.g. 'aws-s3:audit'")).max(50).default([]),
});
export type AwsDeploy = z.infer<typeof AwsDeploySchema>;
export type KinesisInput = AwsInputs['kinesis'][number];
export type SqsInput = AwsInputs['sqs'][number];
export type SnsInput = AwsInputs['sns'][number];
export type S3Input = AwsInputs['s3'][number];
