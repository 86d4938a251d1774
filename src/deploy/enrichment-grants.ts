import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LOOKUP_TABLES_FILE, parseLookupTablesConfig } from '../lookup-tables/config.ts';
import { parseThreatIntelConfig, THREAT_INTEL_FILE } from '../threat-intel/config.ts';

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
  const tables = parseLookupTablesConfig(readJson(projectDir, LOOKUP_TABLES_FILE) ?? {}).config;
  if (tables.enabled) {
    for (const table of tables.tables.values()) {
      if (table.driver === 's3') statements.push(new PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::${table.bucket}/${table.key}`] }));
      if (table.driver === 'dynamodb') statements.push(new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [tableArn(table.table)] }));
    }
  }
  const intel = parseThreatIntelConfig(readJson(projectDir, THREAT_INTEL_FILE) ?? {}).config;
  if (intel?.enabled && intel.dynamodb_table_name !== undefined) {
    statements.push(new PolicyStatement({ actions: ['dynamodb:BatchGetItem'], resources: [tableArn(intel.dynamodb_table_name)] }));
  }
  return statements;
}

/** A DynamoDB table's ARN from the name the SDK is given (a name here, or an ARN: TableName takes both). */
function tableArn(table: string): string {
  return table.startsWith('arn:') ? table : `arn:${Aws.PARTITION}:dynamodb:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/${table}`;
}

/** The file's JSON, or undefined when it is missing or not JSON (the project then loads without it, warning). */
function readJson(projectDir: string, file: string): unknown {
  const path = join(projectDir, file);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
