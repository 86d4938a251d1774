import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ALERTS_TABLE, alertsTableName } from './names.ts';

/**
 * The alerts table exactly as DynamoDbAlertStore uses it (keys, the sparse `due` index), on
 * demand, with point-in-time recovery, TTL on `expires_at`, and a stream of new images that
 * triggers the alert processor the moment an alert is stored. Kept when the stack is destroyed.
 */
export class AlertsTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: { prefix: string }) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      tableName: alertsTableName(props.prefix),
      partitionKey: { name: ALERTS_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: ALERTS_TABLE.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: ALERTS_TABLE.dueIndex.name,
          partitionKey: { name: ALERTS_TABLE.dueIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: ALERTS_TABLE.dueIndex.sortKey, type: AttributeType.NUMBER },
        },
      ],
      billing: Billing.onDemand(),
      timeToLiveAttribute: ALERTS_TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      dynamoStream: StreamViewType.NEW_IMAGE,
      // Alerts and their delivery history outlive the stack: destroy keeps the table.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
  }
}
