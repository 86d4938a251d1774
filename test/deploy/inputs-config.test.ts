import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadProject } from '../../src/config/project.ts';
import { tempProject } from '../support/rules-project.ts';

const withInputs = (inputs: unknown) => () => loadProject(tempProject({ 'conf/global.json': { inputs } }));

describe('inputs in conf/global.json', () => {
  it('takes streams, queues, topics and buckets, created by name or existing by name or ARN, with defaults', () => {
    const project = withInputs({
      kinesis: [{ name: 'logs' }, { arn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/theirs', startingPosition: 'TRIM_HORIZON' }],
      sqs: [{ name: 'q', existing: true }],
      s3: [{ arn: 'arn:aws:s3:::cloudtrail-logs', prefix: 'AWSLogs/' }],
    })();
    expect(project.global.inputs.kinesis).toEqual([
      { name: 'logs', existing: false, batchSize: 100, startingPosition: 'LATEST' },
      { arn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/theirs', existing: false, batchSize: 100, startingPosition: 'TRIM_HORIZON' },
    ]);
    expect(project.global.inputs.sqs).toEqual([{ name: 'q', existing: true, batchSize: 10 }]);
    expect(project.global.inputs.sns).toEqual([]);
    expect(project.global.inputs.s3).toEqual([{ arn: 'arn:aws:s3:::cloudtrail-logs', existing: false, prefix: 'AWSLogs/', suffix: '' }]);
  });

  it('is empty when absent', () => {
    expect(withInputs(undefined)().global.inputs).toEqual({ kinesis: [], sqs: [], sns: [], s3: [] });
  });

  it.each([
    ['both a name and an ARN', { sns: [{ name: 't', arn: 'arn:aws:sns:us-east-1:123456789012:t' }] }, /inputs\.sns\[0\]: give either "name"/],
    ['neither', { sqs: [{ batchSize: 5 }] }, /inputs\.sqs\[0\]: give either "name"/],
    ['an ARN of another service', { kinesis: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }, /inputs\.kinesis\[0\]\.arn must be a Kinesis stream ARN/],
    ['an SQS batch over 10', { sqs: [{ name: 'q', batchSize: 11 }] }, /inputs\.sqs\[0\]\.batchSize must be a whole number from 1 to 10/],
    ['a bucket name S3 would refuse', { s3: [{ name: 'My_Bucket' }] }, /inputs\.s3\[0\]\.name must be a bucket name/],
    ['an unknown kind', { firehose: [] }, /firehose/],
    ['an unknown key', { s3: [{ name: 'b', filter: 'x' }] }, /filter/],
  ])('refuses %s, naming the key', (_case, inputs, message) => {
    expect(withInputs(inputs)).toThrow(ConfigError);
    expect(withInputs(inputs)).toThrow(message);
  });
});
