import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  paginateQuery,
  paginateScan,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Alert } from '../alerts/alert.ts';
import { ConfigError } from '../config/errors.ts';
import type { DispatchResult } from '../outputs/result.ts';
import {
  AlertStore,
  describeStoredResult,
  statusAfter,
  toDeliveryState,
  type ClaimedDelivery,
  type DeliveryStatus,
  type StoredDelivery,
  type RequeueSelector,
  type StoredAlert,
} from './alert-store.ts';
import { parseAlert, serializeAlert } from './serialize.ts';

/** The sort key of an alert's own item; delivery items use the output name. */
const ALERT_ITEM = '#alert';
/** Only pending deliveries carry `queue`, so the due index holds nothing else (a sparse index). */
const QUEUE = 'pending';
const DUE_INDEX = 'due';

interface DeliveryItem extends StoredDelivery {
  queue?: string;
}

/**
 * The alert store at scale: one DynamoDB table, `<prefix>_streamalert_alerts`, shared by every
 * process (serve instances, Lambda functions). Items: the alert (`output` = '#alert') and one per
 * delivery, keyed by alert id. Pending deliveries sit in a sparse index ordered by due time;
 * a claim is a conditional update, so two workers never claim the same delivery at once.
 */
export class DynamoDbAlertStore extends AlertStore {
  readonly #table: string;
  readonly #region: string;
  readonly #client: DynamoDBClient;
  readonly #documents: DynamoDBDocumentClient;

  constructor(table: string, region: string) {
    super();
    this.#table = table;
    this.#region = region;
    this.#client = new DynamoDBClient({ region });
    this.#documents = DynamoDBDocumentClient.from(this.#client, { marshallOptions: { removeUndefinedValues: true } });
  }

  override async verify(): Promise<void> {
    try {
      await this.#client.send(new DescribeTableCommand({ TableName: this.#table }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      throw new ConfigError(`the alerts table ${this.#table} does not exist in ${this.#region}; create it with 'streamalert store setup'`);
    }
  }

  /** The table's name, for messages. */
  get table(): string {
    return this.#table;
  }

  /** Creates the table and its due index if missing (`streamalert store setup`). */
  async ensureTable(): Promise<'created' | 'exists'> {
    try {
      await this.#client.send(new DescribeTableCommand({ TableName: this.#table }));
      return 'exists';
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await this.#client.send(
      new CreateTableCommand({
        TableName: this.#table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'alert_id', AttributeType: 'S' },
          { AttributeName: 'output', AttributeType: 'S' },
          { AttributeName: 'queue', AttributeType: 'S' },
          { AttributeName: 'next_attempt_at', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'alert_id', KeyType: 'HASH' },
          { AttributeName: 'output', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: DUE_INDEX,
            KeySchema: [
              { AttributeName: 'queue', KeyType: 'HASH' },
              { AttributeName: 'next_attempt_at', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await waitUntilTableExists({ client: this.#client, maxWaitTime: 120 }, { TableName: this.#table });
    return 'created';
  }

  async save(alerts: readonly Alert[]): Promise<void> {
    for (const alert of alerts) {
      const dueAt = alert.created.getTime();
      try {
        await this.#documents.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.#table, Item: { alert_id: alert.id, output: ALERT_ITEM, rule_name: alert.ruleName, created: alert.created.toISOString(), alert: serializeAlert(alert) } } },
              ...[...new Set(alert.outputs)].map((output) => ({
                Put: {
                  TableName: this.#table,
                  Item: { alert_id: alert.id, output, status: 'pending', attempts: 0, next_attempt_at: dueAt, queue: QUEUE } satisfies DeliveryItem,
                  // Saving an alert again must not reset deliveries already made.
                  ConditionExpression: 'attribute_not_exists(alert_id)',
                },
              })),
            ],
          }),
        );
      } catch (error) {
        if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
      }
    }
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const { Items = [] } = await this.#documents.send(new QueryCommand({ ...this.#dueQuery(now), Limit: limit }));
    const claimed: DeliveryItem[] = [];
    for (const item of Items as DeliveryItem[]) {
      try {
        await this.#documents.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { alert_id: item.alert_id, output: item.output },
            UpdateExpression: 'SET next_attempt_at = :lease',
            ConditionExpression: '#status = :pending AND next_attempt_at = :seen',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':lease': now + leaseMs, ':pending': 'pending', ':seen': item.next_attempt_at },
          }),
        );
        claimed.push(item);
      } catch (error) {
        // Another worker claimed it first.
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    const alerts = await this.#alerts(claimed.map((item) => item.alert_id));
    return claimed.flatMap((item) => {
      const alert = alerts.get(item.alert_id);
      return alert ? [{ alert, output: item.output, attempts: item.attempts }] : [];
    });
  }

  async record(alertId: string, output: string, result: DispatchResult, attempts: number, nextAttemptAt?: number): Promise<void> {
    const status = statusAfter(result, nextAttemptAt);
    await this.#documents.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { alert_id: alertId, output },
        UpdateExpression:
          status === 'pending'
            ? 'SET #status = :status, attempts = :attempts, next_attempt_at = :next, last_result = :last, #queue = :queue'
            : 'SET #status = :status, attempts = :attempts, next_attempt_at = :next, last_result = :last REMOVE #queue',
        ExpressionAttributeNames: { '#status': 'status', '#queue': 'queue' },
        ExpressionAttributeValues: {
          ':status': status,
          ':attempts': attempts,
          ':next': nextAttemptAt ?? 0,
          ':last': describeStoredResult(result),
          ...(status === 'pending' ? { ':queue': QUEUE } : {}),
        },
      }),
    );
  }

  async nextDueAt(): Promise<number | undefined> {
    const { Items = [] } = await this.#documents.send(new QueryCommand({ ...this.#dueQuery(), Limit: 1 }));
    return (Items[0] as DeliveryItem | undefined)?.next_attempt_at;
  }

  async requeue(selector: RequeueSelector, now: number): Promise<number> {
    const targets: DeliveryItem[] =
      selector.alertId !== undefined
        ? (await this.#deliveriesOf(selector.alertId)).filter((d) => d.status !== 'delivered')
        : [...(await this.#pending()), ...(selector.failed ? await this.#scanDeliveries('failed') : [])];
    for (const item of targets) {
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { alert_id: item.alert_id, output: item.output },
          UpdateExpression: 'SET #status = :pending, attempts = :attempts, next_attempt_at = :now, #queue = :queue',
          ExpressionAttributeNames: { '#status': 'status', '#queue': 'queue' },
          // A retry asked for by alert, or of a dead letter, starts with a fresh retry budget.
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':attempts': selector.alertId !== undefined || item.status === 'failed' ? 0 : item.attempts,
            ':now': now,
            ':queue': QUEUE,
          },
        }),
      );
    }
    return targets.length;
  }

  async pendingByOutput(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const item of await this.#pending()) counts[item.output] = (counts[item.output] ?? 0) + 1;
    return counts;
  }

  async list(options: { status?: DeliveryStatus; limit?: number } = {}): Promise<StoredAlert[]> {
    const limit = options.limit ?? 100;
    const ids = options.status
      ? [...new Set((await this.#scanDeliveries(options.status)).map((d) => d.alert_id))]
      : (await this.#scan('#output = :alert', { '#output': 'output' }, { ':alert': ALERT_ITEM })).map((item) => item.alert_id as string);
    const alerts = [...(await this.#alerts(ids)).values()].sort((a, b) => b.created.getTime() - a.created.getTime()).slice(0, limit);
    return Promise.all(alerts.map(async (alert) => ({ alert, deliveries: (await this.#deliveriesOf(alert.id)).map(toDeliveryState) })));
  }

  close(): void {
    this.#client.destroy();
  }

  /** A query on the due index: every pending delivery, or those due by `dueBy`, soonest first. */
  #dueQuery(dueBy?: number) {
    return {
      TableName: this.#table,
      IndexName: DUE_INDEX,
      KeyConditionExpression: dueBy === undefined ? '#queue = :queue' : '#queue = :queue AND next_attempt_at <= :dueBy',
      ExpressionAttributeNames: { '#queue': 'queue' },
      ExpressionAttributeValues: { ':queue': QUEUE, ...(dueBy === undefined ? {} : { ':dueBy': dueBy }) },
    };
  }

  async #pending(): Promise<DeliveryItem[]> {
    const items: DeliveryItem[] = [];
    const pages = paginateQuery({ client: this.#documents }, this.#dueQuery());
    for await (const page of pages) items.push(...((page.Items ?? []) as DeliveryItem[]));
    return items;
  }

  async #deliveriesOf(alertId: string): Promise<DeliveryItem[]> {
    const { Items = [] } = await this.#documents.send(
      new QueryCommand({ TableName: this.#table, KeyConditionExpression: 'alert_id = :id', ExpressionAttributeValues: { ':id': alertId } }),
    );
    return (Items as DeliveryItem[]).filter((item) => item.output !== ALERT_ITEM).sort((a, b) => a.output.localeCompare(b.output));
  }

  async #scanDeliveries(status: DeliveryStatus): Promise<DeliveryItem[]> {
    return (await this.#scan('#status = :status', { '#status': 'status' }, { ':status': status })) as unknown as DeliveryItem[];
  }

  async #scan(filter: string, names: Record<string, string>, values: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateScan(
      { client: this.#documents },
      { TableName: this.#table, FilterExpression: filter, ExpressionAttributeNames: names, ExpressionAttributeValues: values },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  /** The alerts with these ids, fetched 100 at a time (BatchGetItem's limit). */
  async #alerts(ids: readonly string[]): Promise<Map<string, Alert>> {
    const found = new Map<string, Alert>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(start, start + 100).map((id) => ({ alert_id: id, output: ALERT_ITEM }));
      while (keys && keys.length > 0) {
        const answer: BatchGetCommandOutput = await this.#documents.send(new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: keys } } }));
        for (const item of answer.Responses?.[this.#table] ?? []) found.set(item.alert_id as string, parseAlert(item.alert as string));
        keys = answer.UnprocessedKeys?.[this.#table]?.Keys;
      }
    }
    return found;
  }
}
