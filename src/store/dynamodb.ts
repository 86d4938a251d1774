import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  paginateScan,
  QueryCommand,
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Alert } from '../alerts/alert.ts';
import { ConfigError } from '../config/errors.ts';
import {
  AlertStore,
  countSuppressed,
  describeStoredResult,
  isSuppressionStatus,
  referenceOf,
  roomFor,
  saturatedOutputs,
  statusAfter,
  toDeliveryState,
  withinRoom,
  type AlertDetail,
  type AttemptRecord,
  type ClaimedDelivery,
  type ClaimRequest,
  type SaveOutcome,
  type DiscardSelector,
  type ListFilter,
  type OutputAttemptStats,
  type OutputBacklog,
  type RequeueSelector,
  type RuleAlertCount,
  type StoredAlert,
  type StoredDelivery,
} from './alert-store.ts';
import { dynamoDbStoreError } from './dynamodb-errors.ts';
import { parseAlert } from './serialize.ts';
import { ALERT_ITEM, alertItem, EXPIRES_AT } from './dynamodb-items.ts';
import { DynamoDbMerges } from './dynamodb-merges.ts';
import type { BuildMergedAlert, MergeMembership, OpenMerges } from './merges.ts';
import { mergeSettingsOf } from '../merge/settings.ts';
import { earliestCreated, type Silence } from '../noise/silence.ts';
import { DynamoDbNoise } from './dynamodb-noise.ts';
import { DynamoDbExpiry, expiresAtSeconds } from './dynamodb-expiry.ts';

/** The sort key of an alert's own item; delivery items use the output name. */
/**
 * Pending deliveries carry `queue` = 'pending' and dead letters 'failed'; finished ones none, so
 * the index (named 'due' for its first use) holds only what needs attention (a sparse index).
 */
const PENDING = 'pending';
const FAILED = 'failed';
const DUE_INDEX = 'due';
/** Attempts kept in a delivery item's history (an item holds at most 400 KB). */
const MAX_HISTORY = 100;
/** A claim reads at most this many pages of due deliveries, each of at least MIN_CLAIM_PAGE items (read capacity is paid per page). */
const MAX_CLAIM_PAGES = 4;
const MIN_CLAIM_PAGE = 25;
/** A claim scoped to some alerts reads their deliveries this many alerts at a time. */
const PARALLEL_ALERT_QUERIES = 16;

interface DeliveryItem extends StoredDelivery {
  queue?: string;
  history?: { at: number; duration_ms: number; result: string }[];
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string }).name;
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
  /** Merge windows (src/merge): items of their own in the table. */
  readonly #merges: DynamoDbMerges;
  /** Silences, dedup windows and inhibitions (src/noise): items of their own in the table. */
  readonly #noise: DynamoDbNoise;
  /** The TTL on finished alerts (`expires_at`, `store.retentionDays` after the last delivery ends). */
  readonly #expiry: DynamoDbExpiry;

  constructor(table: string, region: string, options: { retentionDays?: number } = {}) {
    super();
    this.#table = table;
    this.#region = region;
    this.#client = new DynamoDBClient({ region });
    // Outermost, after the SDK's own retries: throttling, access and network failures become
    // StoreErrors naming the table and the fix. The document client shares this stack.
    this.#client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          throw dynamoDbStoreError(table, region, error);
        }
      },
      { step: 'initialize', name: 'streamAlertStoreErrors' },
    );
    this.#documents = DynamoDBDocumentClient.from(this.#client, { marshallOptions: { removeUndefinedValues: true } });
    const retentionDays = options.retentionDays ?? 30;
    // Merge windows, silences, dedup windows and inhibitions expire as finished alerts do, retentionDays after they end.
    const expiresAt = (endedAt: number) => expiresAtSeconds(endedAt, retentionDays);
    this.#merges = new DynamoDbMerges(this.#documents, table, (alertId, output, now) => this.#newDelivery(alertId, output, now), expiresAt);
    this.#noise = new DynamoDbNoise(this.#documents, table, (alertId, output, now) => this.#newDelivery(alertId, output, now), expiresAt);
    this.#expiry = new DynamoDbExpiry(this.#documents, table, retentionDays);
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
  get location(): string {
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
    // As the deployed stack's table (src/deploy/alerts-table.ts): finished alerts expire by themselves.
    await this.#client.send(new UpdateTimeToLiveCommand({ TableName: this.#table, TimeToLiveSpecification: { AttributeName: EXPIRES_AT, Enabled: true } }));
    return 'created';
  }

  async save(alerts: readonly Alert[]): Promise<SaveOutcome> {
    // Read once per batch, consistently: a silence added a moment ago by another process applies.
    const silences = alerts.length > 0 ? await this.#noise.silences(earliestCreated(alerts)) : [];
    const suppressed: SaveOutcome['suppressed'] = {};
    for (const alert of alerts) {
      // Silenced, inhibited or counted in a dedup window: saved there, with its marker or its deliveries.
      const noise = await this.#noise.save(alert, silences);
      if (noise.saved) {
        if (noise.suppressed) countSuppressed(suppressed, noise.suppressed);
        // Suppressed (silenced, inhibited, counted in a dedup window): never sent, so finished as saved.
        await this.#expiry.expireIfFinished(alert.id, Date.now());
        continue;
      }
      // A merging rule's alert is held in its merge window, not sent (unless it opens a mergeSendFirst window).
      if (mergeSettingsOf(alert)) {
        await this.#merges.hold(alert);
        continue;
      }
      const dueAt = alert.created.getTime();
      const outputs = [...new Set(alert.outputs)];
      // No outputs (a staged rule's alert): finished as it is saved.
      const expiry = outputs.length === 0 ? this.#expiry.attributeFor(Date.now()) : {};
      try {
        await this.#documents.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.#table, Item: { ...alertItem(alert), ...expiry } } },
              ...outputs.map((output) => ({ Put: this.#newDelivery(alert.id, output, dueAt) })),
            ],
          }),
        );
      } catch (error) {
        if (errorName(error) !== 'TransactionCanceledException') throw error;
      }
    }
    return { suppressed };
  }

  async addDeliveries(alertId: string, outputs: readonly string[], now: number): Promise<string[]> {
    const added: string[] = [];
    for (const output of new Set(outputs)) {
      try {
        await this.#documents.send(new PutCommand(this.#newDelivery(alertId, output, now)));
        added.push(output);
      } catch (error) {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      }
    }
    if (added.length > 0) await this.#expiry.keep(alertId);
    return added;
  }

  async claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    const { now, leaseMs } = request;
    const Items = request.alertIds ? await this.#dueCandidatesAmong(request, request.alertIds) : await this.#dueCandidates(request);
    const claimed: DeliveryItem[] = [];
    for (const item of Items) {
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
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      }
    }
    const alerts = await this.#alerts(claimed.map((item) => item.alert_id));
    return claimed.flatMap((item) => {
      const alert = alerts.get(item.alert_id);
      if (!alert) return [];
      return [{ alert, output: item.output, attempts: item.attempts, queuedAt: item.queued_at ?? alert.created.getTime(), leaseUntil: now + leaseMs }];
    });
  }

  /**
   * Due deliveries, earliest first, up to each output's room (saturated outputs filtered out by
   * the query). A Query's Limit counts the items read before the filter, and a page may hold
   * only a busy output's backlog: read on, a bounded number of pages, until `limit` candidates
   * are found.
   */
  async #dueCandidates(request: ClaimRequest): Promise<DeliveryItem[]> {
    const { now, limit } = request;
    const skip = saturatedOutputs(request);
    const query = this.#queueQuery(PENDING, now);
    const candidates: DeliveryItem[] = [];
    /** Candidates taken per output so far, each output up to its room. */
    const room = new Map<string, number>();
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_CLAIM_PAGES && candidates.length < limit; page++) {
      const { Items = [], LastEvaluatedKey } = await this.#documents.send(
        new QueryCommand({
          ...query,
          Limit: Math.max(limit, MIN_CLAIM_PAGE),
          ...(startKey && { ExclusiveStartKey: startKey }),
          ...(skip.length > 0 && {
            FilterExpression: `NOT (#output IN (${skip.map((_, i) => `:skip${i}`).join(', ')}))`,
            ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#output': 'output' },
            ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ...Object.fromEntries(skip.map((output, i) => [`:skip${i}`, output])) },
          }),
        }),
      );
      for (const item of Items as DeliveryItem[]) {
        const count = room.get(item.output) ?? 0;
        if (count >= roomFor(request, item.output) || candidates.length >= limit) continue;
        room.set(item.output, count + 1);
        candidates.push(item);
      }
      if (!LastEvaluatedKey) break;
      startKey = LastEvaluatedKey;
    }
    return candidates;
  }

  /** Due deliveries of these alerts only, soonest first, within each output's room. */
  async #dueCandidatesAmong(request: ClaimRequest, alertIds: readonly string[]): Promise<DeliveryItem[]> {
    const due = (await this.#pendingOf(alertIds)).filter((item) => item.next_attempt_at <= request.now);
    return withinRoom(request, due.sort((a, b) => a.next_attempt_at - b.next_attempt_at));
  }

  /**
   * The pending deliveries of these alerts, read by key (an alert's items share its partition
   * key, so no index is needed), consistently: the table's stream has just told of them.
   */
  async #pendingOf(alertIds: readonly string[]): Promise<DeliveryItem[]> {
    const unique = [...new Set(alertIds)];
    const pending: DeliveryItem[] = [];
    for (let start = 0; start < unique.length; start += PARALLEL_ALERT_QUERIES) {
      const reads = unique.slice(start, start + PARALLEL_ALERT_QUERIES).map(async (alertId) => {
        const query = {
          TableName: this.#table,
          KeyConditionExpression: 'alert_id = :id',
          FilterExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':id': alertId, ':pending': PENDING },
          ConsistentRead: true,
        };
        const items: DeliveryItem[] = [];
        for await (const page of paginateQuery({ client: this.#documents }, query)) items.push(...((page.Items ?? []) as DeliveryItem[]));
        return items;
      });
      for (const items of await Promise.all(reads)) pending.push(...items);
    }
    return pending;
  }

  async record(claim: ClaimedDelivery, attempt: AttemptRecord): Promise<boolean> {
    const status = statusAfter(attempt.result, attempt.nextAttemptAt);
    const described = describeStoredResult(attempt.result);
    const attempts = claim.attempts + 1;
    const queue = status === 'pending' ? PENDING : status === 'failed' ? FAILED : undefined;
    // An item holds at most 400 KB: the history keeps the first attempts, last_result the latest.
    const keepHistory = attempts <= MAX_HISTORY;
    try {
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { alert_id: claim.alert.id, output: claim.output },
          UpdateExpression: [
            `SET #status = :status, attempts = :attempts, next_attempt_at = :next, last_result = :last`,
            queue ? ', #queue = :queue' : '',
            keepHistory ? ', history = list_append(if_not_exists(history, :empty), :entry)' : '',
            queue ? '' : ' REMOVE #queue',
          ].join(''),
          ConditionExpression: '#status = :pending AND next_attempt_at = :lease',
          ExpressionAttributeNames: { '#status': 'status', '#queue': 'queue' },
          ExpressionAttributeValues: {
            ':status': status,
            ':attempts': attempts,
            ':next': attempt.nextAttemptAt ?? 0,
            ':last': described,
            ':pending': 'pending',
            ':lease': claim.leaseUntil,
            ...(queue && { ':queue': queue }),
            ...(keepHistory && { ':empty': [], ':entry': [{ at: attempt.at, duration_ms: attempt.durationMs, result: described }] }),
          },
        }),
      );
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw error;
    }
    if (status === 'delivered') await this.#expiry.expireIfFinished(claim.alert.id, attempt.at);
    return true;
  }

  async nextDueAt(alertIds?: readonly string[]): Promise<number | undefined> {
    if (alertIds) return (await this.#pendingOf(alertIds)).reduce<number | undefined>((earliest, item) => Math.min(earliest ?? Infinity, item.next_attempt_at), undefined);
    const { Items = [] } = await this.#documents.send(new QueryCommand({ ...this.#queueQuery(PENDING), Limit: 1 }));
    return (Items[0] as DeliveryItem | undefined)?.next_attempt_at;
  }

  async requeue(selector: RequeueSelector, now: number): Promise<number> {
    const targets: DeliveryItem[] =
      selector.alertId !== undefined
        ? (await this.#deliveriesOf(selector.alertId)).filter((d) => d.status === 'pending' || d.status === 'failed')
        : [...(await this.#queued(PENDING)), ...(selector.failed ? await this.#queued(FAILED) : [])];
    const selected = targets.filter((d) => selector.output === undefined || d.output === selector.output);
    for (const item of selected) {
      // A dead letter replayed, or a retry asked for by alert, starts a fresh retry budget.
      const fresh = selector.alertId !== undefined || item.status === 'failed';
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { alert_id: item.alert_id, output: item.output },
          UpdateExpression: `SET #status = :pending, next_attempt_at = :now, #queue = :queue${fresh ? ', attempts = :zero, queued_at = :now' : ''}`,
          ExpressionAttributeNames: { '#status': 'status', '#queue': 'queue' },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': now, ':queue': PENDING, ...(fresh && { ':zero': 0 }) },
        }),
      );
    }
    // Pending again: none of the alert's items may expire (a discard racing this replay may have marked them).
    for (const alertId of new Set(selected.map((item) => item.alert_id))) await this.#expiry.keep(alertId);
    return selected.length;
  }

  async discard(selector: DiscardSelector): Promise<number> {
    const candidates = selector.alertId !== undefined ? await this.#deliveriesOf(selector.alertId) : await this.#queued(FAILED);
    const targets = candidates.filter((d) => d.status === 'failed' && (selector.output === undefined || d.output === selector.output));
    for (const item of targets) {
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { alert_id: item.alert_id, output: item.output },
          UpdateExpression: 'SET #status = :discarded REMOVE #queue',
          ExpressionAttributeNames: { '#status': 'status', '#queue': 'queue' },
          ExpressionAttributeValues: { ':discarded': 'discarded' },
        }),
      );
    }
    for (const alertId of new Set(targets.map((item) => item.alert_id))) await this.#expiry.expireIfFinished(alertId, Date.now());
    return targets.length;
  }

  async backlog(): Promise<Record<string, OutputBacklog>> {
    const backlog: Record<string, OutputBacklog> = {};
    const entry = (output: string) => (backlog[output] ??= { pending: 0, failed: 0 });
    for (const item of await this.#queued(PENDING)) {
      const counts = entry(item.output);
      counts.pending++;
      const queuedAt = item.queued_at ?? item.next_attempt_at;
      if (counts.oldestPendingAt === undefined || queuedAt < counts.oldestPendingAt) counts.oldestPendingAt = queuedAt;
    }
    for (const item of await this.#queued(FAILED)) entry(item.output).failed++;
    return Object.fromEntries(Object.entries(backlog).sort(([a], [b]) => a.localeCompare(b)));
  }

  async list(filter: ListFilter = {}): Promise<StoredAlert[]> {
    const bySuppression = isSuppressionStatus(filter.status);
    const byDelivery = (filter.status !== undefined && !bySuppression) || filter.output !== undefined;
    const conditions = ['#output = :alert'];
    const names: Record<string, string> = { '#output': 'output' };
    const values: Record<string, unknown> = { ':alert': ALERT_ITEM };
    if (filter.status === 'suppressed') conditions.push('attribute_exists(suppressed)');
    else if (bySuppression) {
      conditions.push('suppressed = :suppressed');
      values[':suppressed'] = filter.status;
    }
    if (filter.rule !== undefined) {
      conditions.push('rule_name = :rule');
      values[':rule'] = filter.rule;
    }
    if (filter.since !== undefined) {
      conditions.push('created >= :since');
      values[':since'] = new Date(filter.since).toISOString();
    }
    if (filter.until !== undefined) {
      conditions.push('created < :until');
      values[':until'] = new Date(filter.until).toISOString();
    }
    const ids = (await this.#scan(conditions.join(' AND '), names, values)).map((item) => item.alert_id as string);
    const found = [...(await this.#alerts(ids)).values()].sort((a, b) => b.created.getTime() - a.created.getTime());
    const result: StoredAlert[] = [];
    for (const alert of found) {
      if (result.length >= (filter.limit ?? 100)) break;
      const deliveries = await this.#deliveriesOf(alert.id);
      const matches = deliveries.some((d) => (filter.status === undefined || bySuppression || d.status === filter.status) && (filter.output === undefined || d.output === filter.output));
      if (!byDelivery || matches) result.push({ alert, deliveries: deliveries.map(toDeliveryState) });
    }
    return result;
  }

  async attemptStats(since: number): Promise<Record<string, OutputAttemptStats>> {
    // A delivery item keeps its first attempts in history and its latest in last_result: the stats are of the history kept.
    const items = (await this.#scan('#output <> :alert', { '#output': 'output' }, { ':alert': ALERT_ITEM })) as unknown as DeliveryItem[];
    const stats: Record<string, OutputAttemptStats & { totalMs: number }> = {};
    for (const item of items) {
      for (const entry of item.history ?? []) {
        if (entry.at < since) continue;
        const s = (stats[item.output] ??= { attempts: 0, delivered: 0, notDelivered: 0, meanDurationMs: 0, maxDurationMs: 0, lastAt: 0, lastResult: '', totalMs: 0 });
        s.attempts++;
        if (entry.result.startsWith('delivered')) s.delivered++;
        else s.notDelivered++;
        s.totalMs += entry.duration_ms;
        s.maxDurationMs = Math.max(s.maxDurationMs, entry.duration_ms);
        if (entry.at >= s.lastAt) Object.assign(s, { lastAt: entry.at, lastResult: entry.result });
      }
    }
    return Object.fromEntries(
      Object.entries(stats)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([output, { totalMs, ...s }]) => [output, { ...s, meanDurationMs: Math.round(totalMs / s.attempts) }]),
    );
  }

  async alertCounts(since: number, bucketMs: number): Promise<RuleAlertCount[]> {
    const items = await this.#scan('#output = :alert AND created >= :since', { '#output': 'output' }, { ':alert': ALERT_ITEM, ':since': new Date(since).toISOString() });
    const counts = new Map<string, RuleAlertCount>();
    for (const item of items as { rule_name: string; created: string }[]) {
      const bucketStart = Math.floor(Date.parse(item.created) / bucketMs) * bucketMs;
      const key = `${bucketStart} ${item.rule_name}`;
      const entry = counts.get(key) ?? { rule: item.rule_name, bucketStart, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    return [...counts.values()].sort((a, b) => a.bucketStart - b.bucketStart || a.rule.localeCompare(b.rule));
  }

  async get(alertId: string): Promise<AlertDetail | undefined> {
    const alert = (await this.#alerts([alertId])).get(alertId);
    if (!alert) return undefined;
    const deliveries = await this.#deliveriesOf(alertId);
    const history = deliveries
      .flatMap((d) => (d.history ?? []).map((h) => ({ output: d.output, at: h.at, durationMs: h.duration_ms, result: h.result })))
      .sort((a, b) => a.at - b.at);
    return { alert, deliveries: deliveries.map(toDeliveryState), history };
  }

  async deliveredReference(alertId: string, output: string): Promise<string | undefined> {
    const { Item } = await this.#documents.send(
      // Consistent: the reference was recorded moments ago (a merge window's first alert, just sent).
      new GetCommand({ TableName: this.#table, Key: { alert_id: alertId, output }, ProjectionExpression: '#status, last_result', ExpressionAttributeNames: { '#status': 'status' }, ConsistentRead: true }),
    );
    return referenceOf(Item as DeliveryItem | undefined);
  }

  async prune(before: number): Promise<number> {
    const old = await this.#scan('#output = :alert AND created < :before', { '#output': 'output' }, { ':alert': ALERT_ITEM, ':before': new Date(before).toISOString() });
    let pruned = 0;
    for (const { alert_id: alertId } of old as { alert_id: string }[]) {
      const deliveries = await this.#deliveriesOf(alertId);
      if (deliveries.some((d) => d.status === 'pending' || d.status === 'failed')) continue;
      for (const output of [ALERT_ITEM, ...deliveries.map((d) => d.output)]) {
        await this.#documents.send(new DeleteCommand({ TableName: this.#table, Key: { alert_id: alertId, output } }));
      }
      pruned++;
    }
    return pruned;
  }

  closeDueMerges(now: number, build: BuildMergedAlert): Promise<Alert[]> {
    return this.#merges.closeDue(now, build);
  }

  openMerges(): Promise<OpenMerges> {
    return this.#merges.open();
  }

  mergeMemberships(alertIds: readonly string[]): Promise<Map<string, MergeMembership>> {
    return this.#merges.memberships(alertIds);
  }

  closeDueDedups(now: number): Promise<Alert[]> {
    return this.#noise.closeDue(now);
  }

  addSilence(silence: Silence): Promise<void> {
    return this.#noise.addSilence(silence);
  }

  async silences(limit = 1_000): Promise<Silence[]> {
    return (await this.#noise.silences()).reverse().slice(0, limit);
  }

  expireSilence(id: string, now: number): Promise<Silence | undefined> {
    return this.#noise.expireSilence(id, now);
  }

  close(): void {
    this.#client.destroy();
  }

  /** A delivery's first item; the condition keeps a delivery already made from being reset. */
  #newDelivery(alertId: string, output: string, now: number) {
    return {
      TableName: this.#table,
      Item: { alert_id: alertId, output, status: 'pending', attempts: 0, next_attempt_at: now, queued_at: now, queue: PENDING } satisfies DeliveryItem,
      ConditionExpression: 'attribute_not_exists(alert_id)',
    };
  }

  /** A query on the queue index: every delivery in `queue`, or those due by `dueBy`, soonest first. */
  #queueQuery(queue: string, dueBy?: number) {
    return {
      TableName: this.#table,
      IndexName: DUE_INDEX,
      KeyConditionExpression: dueBy === undefined ? '#queue = :queue' : '#queue = :queue AND next_attempt_at <= :dueBy',
      ExpressionAttributeNames: { '#queue': 'queue' } as Record<string, string>,
      ExpressionAttributeValues: { ':queue': queue, ...(dueBy === undefined ? {} : { ':dueBy': dueBy }) } as Record<string, unknown>,
    };
  }

  async #queued(queue: string): Promise<DeliveryItem[]> {
    const items: DeliveryItem[] = [];
    const pages = paginateQuery({ client: this.#documents }, this.#queueQuery(queue));
    for await (const page of pages) items.push(...((page.Items ?? []) as DeliveryItem[]));
    return items;
  }

  async #deliveriesOf(alertId: string): Promise<DeliveryItem[]> {
    const { Items = [] } = await this.#documents.send(
      new QueryCommand({ TableName: this.#table, KeyConditionExpression: 'alert_id = :id', ExpressionAttributeValues: { ':id': alertId } }),
    );
    return (Items as DeliveryItem[]).filter((item) => item.output !== ALERT_ITEM).sort((a, b) => a.output.localeCompare(b.output));
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
