import { firstRecord } from './batch-item.ts';

/**
 * The alerts table's DynamoDB stream (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html):
 * the rules engine's save writes an alert's item (sort key `#alert`) and one item per delivery,
 * each an INSERT record; a fallback output's delivery added later is one too. MODIFY records
 * (attempts recorded) and REMOVE records (TTL) say nothing new to deliver.
 */
export interface DynamoDbStreamEvent {
  Records: DynamoDbStreamRecord[];
}

export interface DynamoDbStreamRecord {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventSource: 'aws:dynamodb';
  dynamodb: { Keys?: { alert_id?: { S?: string }; output?: { S?: string } } };
}

export function isDynamoDbStreamEvent(event: unknown): event is DynamoDbStreamEvent {
  return firstRecord(event)?.eventSource === 'aws:dynamodb';
}

/** Merge windows (src/store/dynamodb-merges.ts) keep items of their own in the table, under this prefix: no deliveries of theirs. */
const MERGE_ITEMS = 'merge#';

/** The ids of the alerts inserted, or given a delivery, in this event, each once, in order. */
export function insertedAlertIds(event: DynamoDbStreamEvent): string[] {
  const ids = new Set<string>();
  for (const record of event.Records) {
    const alertId = record.dynamodb?.Keys?.alert_id?.S;
    if (record.eventName !== 'INSERT' || !alertId || alertId.startsWith(MERGE_ITEMS)) continue;
    ids.add(alertId);
  }
  return [...ids];
}

