import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { readEnrichmentConfig } from './enrichment-config.ts';

/**
 * The statements that let the rules engine read what its rules read besides records: lookup
 * tables in S3 (`s3:GetObject` on the object) or DynamoDB (`dynamodb:Scan`: the driver reads the
 * table whole), and threat intel's DynamoDB IOC table (`dynamodb:BatchGetItem`: looked up by
 * value, batch by batch). Each on its resource, in the project's region and the stack's account
 * unless given as an ARN. Only what is enabled and valid: a table the project would disable
 * (a problem when it loads) is not granted. Alert processors load the project too but never
 * read these (rules run in the rules engine only), so they get nothing.
 *
 * @example
 *   enrichmentStatements('/srv/secops') // lookup table {driver: 's3', bucket: 'acme-lookups', key: 'ips.json'}
 *   // -> s3:GetObject on arn:aws:s3:::acme-lookups/ips.json
 */
export function enrichmentStatements(projectDir: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const { tables, intel } = readEnrichmentConfig(projectDir);
  for (const table of tables.values()) {
    if (table.driver === 's3') statements.push(new PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::${table.bucket}/${table.key}`] }));
    if (table.driver === 'dynamodb') statements.push(new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [tableArn(table.table)] }));
  }
  if (intel?.dynamodb_table_name !== undefined) {
    statements.push(new PolicyStatement({ actions: ['dynamodb:BatchGetItem'], resources: [tableArn(intel.dynamodb_table_name)] }));
  }
  return statements;
}

/** A DynamoDB table's ARN from the name the SDK is given (a name here, or an ARN: TableName takes both). */
function tableArn(table: string): string {
  return table.startsWith('arn:') ? table : `arn:${Aws.PARTITION}:dynamodb:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/${table}`;
}
