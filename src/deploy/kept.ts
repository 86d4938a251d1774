import { readFileSync } from 'node:fs';

interface TemplateResource {
  Type: string;
  DeletionPolicy?: string;
  Properties?: Record<string, unknown>;
}

/** The property that names each kept resource type, for the lines `destroy` prints. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Kinesis::Stream': 'Name',
};

/**
 * What destroying the stack keeps and deletes, read from its synthesized template: every
 * resource whose DeletionPolicy is Retain stays (with its data), everything else goes.
 *
 * @example
 *   keptAndDeleted('cdk.out/acme-streamalert.template.json').kept // ['AWS::DynamoDB::GlobalTable acme_streamalert_alerts', ...]
 */
export function keptAndDeleted(templatePath: string): { kept: string[]; deleted: Record<string, number> } {
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, TemplateResource> };
  const kept: string[] = [];
  const deleted: Record<string, number> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.DeletionPolicy === 'Retain') {
      const name = resource.Properties?.[NAME_PROPERTY[resource.Type] ?? ''];
      kept.push(`${resource.Type} ${typeof name === 'string' ? name : resource.Type === 'AWS::KMS::Key' ? '(the key its alias names)' : logicalId}`);
    } else if (!resource.Type.startsWith('AWS::CDK::')) {
      deleted[resource.Type] = (deleted[resource.Type] ?? 0) + 1;
    }
  }
  return { kept, deleted };
}
