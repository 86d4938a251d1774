import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadProject } from '../../src/config/project.ts';
import { ownOutputs } from '../../src/deploy/own-outputs.ts';
import { tempProject } from '../support/rules-project.ts';

const OUTPUTS = {
  'aws-s3': { audit: 'acme-audit', again: 'acme-audit', secrets: 'acme.streamalert.secrets', bad: 'Acme_Audit' },
  'aws-sns': { byname: 'acme-alerts', elsewhere: 'arn:aws:sns:eu-west-1:123456789012:alerts' },
  'aws-sqs': { byurl: 'https://sqs.us-east-1.amazonaws.com/123456789012/acme-queue', local: 'http://127.0.0.1:5000/123456789012/acme-queue', input: 'acme_input' },
  'aws-firehose': { lake: 'acme-lake' },
  'aws-cloudwatch-log': { log: 'acme/alerts' },
  'aws-lambda': { enrich: 'enrich:production' },
  slack: ['sec'],
};

const marking = (createOutputs: string[]) =>
  ownOutputs(
    loadProject(
      tempProject({
        'conf/global.json': { account: { prefix: 'acme', region: 'us-east-1' }, secrets: { backend: 'aws-s3-kms' }, store: { backend: 'dynamodb' }, inputs: { sqs: [{ name: 'acme_input' }] }, deploy: { createOutputs } },
        'conf/outputs.json': OUTPUTS,
      }),
    ),
  );

describe('deploy.createOutputs in conf/global.json', () => {
  it('gives each marked output the resource name the stack creates, an ARN or URL reduced to its name and account; one resource once', () => {
    expect(marking(['aws-s3:audit', 'aws-s3:again', 'aws-sns:byname', 'aws-sqs:byurl', 'aws-firehose:lake', 'aws-cloudwatch-log:log'])).toEqual([
      { output: 'aws-s3:audit', service: 'aws-s3', name: 'acme-audit' },
      { output: 'aws-sns:byname', service: 'aws-sns', name: 'acme-alerts' },
      { output: 'aws-sqs:byurl', service: 'aws-sqs', name: 'acme-queue', account: '123456789012' },
      { output: 'aws-firehose:lake', service: 'aws-firehose', name: 'acme-lake' },
      { output: 'aws-cloudwatch-log:log', service: 'aws-cloudwatch-log', name: 'acme/alerts' },
    ]);
    expect(marking([])).toEqual([]);
  });

  it.each([
    ['a Lambda function, the user\'s code', 'aws-lambda:enrich', /createOutputs\[0\] 'aws-lambda:enrich': a Lambda function is your code.*grants lambda:InvokeFunction/],
    ['a service the stack cannot create, naming those it can', 'slack:sec', /'slack:sec': the stack creates only the resources of aws-s3 \(bucket\), aws-sns \(topic\), aws-sqs \(queue\), aws-firehose .*aws-cloudwatch-log \(log group\)/],
    ['an output not configured, naming the ones it could be', 'aws-s3:nope', /'aws-s3:nope' is not configured in conf\/outputs\.json \(AWS outputs the stack can create: aws-s3:audit, .*aws-cloudwatch-log:log\)/],
    ['a resource in another region than the stack\'s', 'aws-sns:elsewhere', /is in eu-west-1, and the stack creates resources in its own region, us-east-1/],
    ['a queue URL of a local endpoint', 'aws-sqs:local', /a queue URL of no AWS region/],
    ['a bucket name S3 refuses', 'aws-s3:bad', /'Acme_Audit' is not a bucket name/],
    ['the secrets bucket', 'aws-s3:secrets', /already creates bucket 'acme\.streamalert\.secrets'/],
    ['a queue created for inputs', 'aws-sqs:input', /already creates queue 'acme_input'/],
  ])('refuses %s', (_case, output, message) => {
    expect(() => marking([output])).toThrow(ConfigError);
    expect(() => marking([output])).toThrow(message);
  });

  it('refuses an entry that is not an output name, naming the key', () => {
    expect(() => marking(['audit'])).toThrow(/deploy\.createOutputs\[0\] must be an output name/);
  });
});
