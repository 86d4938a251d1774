import { type DynamoDBDocumentClient, paginateQuery, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ALERT_ITEM, EXPIRES_AT } from './dynamodb-items.ts';

/** TransactWriteItems' limit on the items of one transaction (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html). */
const MAX_TRANSACTION_ITEMS = 100;
const DAY_MS = 86_400_000;

/** The epoch seconds an alert finished at `finishedAt` (ms) may be deleted at, `retentionDays` later. */
export function expiresAtSeconds(finishedAt: number, retentionDays: number): number {
  return Math.floor((finishedAt + retentionDays * DAY_MS) / 1000);
}

interface AlertItem {
  output: string;
  status?: string;
  expires_at?: number;
}

/**
 * The alerts table's TTL on finished alerts. An alert is finished as the SQLite store's prune
 * decides it: none of its deliveries is pending or failed (a dead letter waits for a replay).
 * Then every item of the alert gets `expires_at`, `retentionDays` later, and DynamoDB deletes
 * them in its own time (free, within days of the date). A replay or a new delivery removes it
 * again. Each writer writes first and reads after (consistently), and the marking is one
 * transaction conditional on every delivery still being finished: of two deliveries finishing
 * at once the later sees both done, and a delivery made pending meanwhile either fails the
 * transaction or finds the attribute and removes it.
 */
export class DynamoDbExpiry {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionDays: number;

  constructor(documents: DynamoDBDocumentClient, table: string, retentionDays: number) {
    this.#documents = documents;
    this.#table = table;
    this.#retentionDays = retentionDays;
  }

  /** `expires_at` for an item written now of an alert that is finished already (saved with no deliveries). */
  attributeFor(now: number): Record<string, number> {
    return { [EXPIRES_AT]: expiresAtSeconds(now, this.#retentionDays) };
  }

  /** Marks every item of the alert to expire, if every delivery of it is finished and it is not marked yet. */
  async expireIfFinished(alertId: string, now: number): Promise<void> {
    const items = await this.#itemsOf(alertId);
    const own = items.find((item) => item.output === ALERT_ITEM);
    if (!own || own.expires_at !== undefined) return;
    const deliveries = items.filter((item) => item !== own);
    if (deliveries.some((item) => !isFinished(item.status))) return;
    const expiresAt = expiresAtSeconds(now, this.#retentionDays);
    const updates = [own, ...deliveries].map((item) => this.#setExpiry(alertId, item, expiresAt));
    try {
      if (updates.length <= MAX_TRANSACTION_ITEMS) {
        await this.#documents.send(new TransactWriteCommand({ TransactItems: updates.map((Update) => ({ Update })) }));
        return;
      }
      // Over a transaction's size: item by item, each still conditional on its own delivery being finished.
      for (const update of updates) await this.#documents.send(new UpdateCommand(update));
    } catch (error) {
      // A delivery became pending meanwhile: the alert is not finished; whoever finishes it marks it.
      const name = (error as { name?: string }).name;
      if (name !== 'TransactionCanceledException' && name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** Removes `expires_at` from every item of the alert: a delivery of it is pending again. Call after writing that delivery. */
  async keep(alertId: string): Promise<void> {
    for (const item of await this.#itemsOf(alertId)) {
      if (item.expires_at === undefined) continue;
      try {
        await this.#documents.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { alert_id: alertId, output: item.output },
            UpdateExpression: 'REMOVE #expires',
            // Never recreate an item deleted meanwhile (an update of a missing key creates it).
            ConditionExpression: 'attribute_exists(alert_id)',
            ExpressionAttributeNames: { '#expires': EXPIRES_AT },
          }),
        );
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  }

  #setExpiry(alertId: string, item: AlertItem, expiresAt: number) {
    const isAlert = item.output === ALERT_ITEM;
    return {
      TableName: this.#table,
      Key: { alert_id: alertId, output: item.output },
      UpdateExpression: 'SET #expires = :expires',
      ConditionExpression: isAlert ? 'attribute_exists(alert_id)' : 'attribute_exists(alert_id) AND NOT (#status IN (:pending, :failed))',
      ExpressionAttributeNames: { '#expires': EXPIRES_AT, ...(!isAlert && { '#status': 'status' }) },
      ExpressionAttributeValues: { ':expires': expiresAt, ...(!isAlert && { ':pending': 'pending', ':failed': 'failed' }) },
    };
  }

  /** The alert's own item and its deliveries' (keys, status, expiry), read consistently: the caller has just written one. */
  async #itemsOf(alertId: string): Promise<AlertItem[]> {
    const items: AlertItem[] = [];
    const pages = paginateQuery(
      { client: this.#documents },
      {
        TableName: this.#table,
        KeyConditionExpression: 'alert_id = :id',
        ProjectionExpression: '#output, #status, #expires',
        ExpressionAttributeNames: { '#output': 'output', '#status': 'status', '#expires': EXPIRES_AT },
        ExpressionAttributeValues: { ':id': alertId },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) items.push(...((page.Items ?? []) as AlertItem[]));
    return items;
  }
}

/** As the SQLite store's prune: a pending delivery will be tried again, a failed one waits for a replay or a discard. */
function isFinished(status: string | undefined): boolean {
  return status !== 'pending' && status !== 'failed';
}
