import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { configuredOutputs, type OutputsConfig } from '../config/project.ts';
import { parseStream } from '../outputs/aws-firehose/stream.ts';
import { parseFunctionName } from '../outputs/aws-lambda/function-name.ts';
import { parseTopicArn } from '../outputs/aws-sns/topic.ts';
import { parseQueueUrl } from '../outputs/aws-sqs/queue.ts';

const ARN = `arn:${Aws.PARTITION}`;
const HERE = `${Aws.REGION}:${Aws.ACCOUNT_ID}`;

/**
 * The statements that let an alert processor deliver to the AWS resources conf/outputs.json
 * names: granted, never created (they are the user's). Each names its resources. Outputs whose
 * target is a credential (aws-lambda-v2 keeps its ARNs encrypted) get nothing here: see docs/aws.md.
 *
 * @example
 *   outputStatements({ 'aws-s3': { audit: 'acme-audit' } }) // s3:PutObject on arn:aws:s3:::acme-audit/*
 */
export function outputStatements(outputs: OutputsConfig): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const { service, resource } of configuredOutputs(outputs)) {
    if (resource === undefined) continue;
    switch (service) {
      case 'aws-s3':
        statements.push(statement(['s3:PutObject'], [`${ARN}:s3:::${resource}/*`]));
        break;
      case 'aws-lambda': {
        const target = parseFunctionName(resource);
        if (!target) break;
        const name = target.functionName.includes(':function:') ? target.functionName : `${ARN}:lambda:${HERE}:function:${target.functionName}`;
        statements.push(statement(['lambda:InvokeFunction'], [name, `${name}:*`]));
        break;
      }
      case 'aws-sns': {
        const arn = parseTopicArn(resource)?.arn;
        statements.push(statement(['sns:Publish'], [arn ?? `${ARN}:sns:${HERE}:${resource}`]));
        break;
      }
      case 'aws-sqs':
        statements.push(statement(['sqs:SendMessage', 'sqs:GetQueueUrl'], [queueArn(resource)]));
        break;
      case 'aws-firehose': {
        const stream = parseStream(resource);
        if (stream) statements.push(statement(['firehose:PutRecord'], [`${ARN}:firehose:${stream.region ?? Aws.REGION}:${Aws.ACCOUNT_ID}:deliverystream/${stream.name}`]));
        break;
      }
      case 'aws-cloudwatch-log':
        statements.push(statement(['logs:PutLogEvents', 'logs:CreateLogStream'], [`${ARN}:logs:${HERE}:log-group:${resource}:*`]));
        break;
    }
  }
  return statements;
}

/**
 * sts:AssumeRole on the roles conf/global.json `deploy.assumeRoles` lists: aws-lambda-v2 keeps
 * the role it assumes (`assume_role_arn`) encrypted with its credentials, out of the stack's
 * sight, so the user names it (or a pattern of names). None listed: nothing granted.
 */
export function assumeRoleStatements(roleArns: readonly string[]): PolicyStatement[] {
  return roleArns.length === 0 ? [] : [statement(['sts:AssumeRole'], [...roleArns])];
}

/** Adds `outputStatements` and `assumeRoleStatements` to each role. */
export function grantOutputs(outputs: OutputsConfig, roles: readonly IRole[], assumeRoles: readonly string[] = []): void {
  const statements = [...outputStatements(outputs), ...assumeRoleStatements(assumeRoles)];
  for (const role of roles) for (const granted of statements) role.addToPrincipalPolicy(granted);
}

function statement(actions: string[], resources: string[]): PolicyStatement {
  return new PolicyStatement({ actions, resources });
}

/** A queue's ARN from its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`) or its name in this account and region. */
function queueArn(configured: string): string {
  const url = parseQueueUrl(configured);
  if (!url) return `${ARN}:sqs:${HERE}:${configured}`;
  const [, account, name] = new URL(url.url).pathname.split('/');
  return `${ARN}:sqs:${url.region ?? Aws.REGION}:${account}:${name}`;
}
