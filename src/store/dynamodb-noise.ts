import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, BatchGetCommand, GetCommand, paginateQuery, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { timeOrderedUuid, type Alert } from '../alerts/alert.ts';
import { dedupUpdateAlert } from '../noise/dedup-update.ts';
import { ANY_KEY, noiseOf, suppressed, type Suppression, type SuppressionReason } from '../noise/settings.ts';
import { silenceFor, type Silence } from '../noise/silence.ts';
import { ALERT_ITEM, alertItem, deliveryPuts, EXPIRES_AT, newAlertPuts, openWindowPut, type NewDeliveryPut } from './dynamodb-items.ts';
import { StoreError } from './errors.ts';
import { parseAlert } from './serialize.ts';

/** The partition of silence items; each silence's id is its sort key, so one consistent Query reads them all. */
const SILENCES = '#silences';
/** The sort key of dedup and inhibition items. */
const NOISE_ITEM = '#noise';
/** Open dedup windows sit in the table's sparse 'due' index under this queue, ordered by when they close. */
const DEDUP_QUEUE = 'dedup';
const DUE_INDEX = 'due';
const CLOSE_BATCH = 100;
/** Tries at counting an alert while other processes count alerts of the same key at the same time. */
const COUNT_TRIES = 20;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

interface WindowItem {
  window_id: string;
  rule_name: string;
  dedup_key: string;
  period_ms: number;
  opened_at: number;
  closes_at: number;
  last_at: number;
  threshold: number;
  count: number;
  sent_alert?: string;
  sent_count?: number;
  queue?: string;
}

/**
 * The DynamoDB side of noise control, items in the alerts table beside the alerts:
 * - a silence: `#silences` / its id;
 * - a dedup window: `dedup#window#<id>` / '#noise', with its count (never its alerts' ids: a
 *   window has no cap); while open it carries queue 'dedup' and next_attempt_at = its close;
 * - the open window of a rule and key: `dedup#open#<sha256 of both>` / '#noise', naming it;
 * - an inhibition: `inhibit#<sha256 of the inhibited rule and key>` / '#noise', until when.
 * An alert is counted in a transaction with its own item, conditional on the count read, so
 * each count is taken once whichever process saves alerts of the key.
 */
/** What noise control did with an alert: left it to the store's usual save, or saved it (suppressed now, for a reason; or sent; or saved before). */
export type NoiseSaved = { readonly saved: false } | { readonly saved: true; readonly suppressed?: SuppressionReason };

const NOT_SAVED: NoiseSaved = { saved: false };

function savedAs(result: 'done' | 'saved-before', suppression: Suppression | undefined): NoiseSaved {
  return result === 'done' && suppression ? { saved: true, suppressed: suppression.reason } : { saved: true };
}

export class DynamoDbNoise {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #newDelivery: NewDeliveryPut;
  /** `expires_at` (epoch seconds) for an item that ends at the given time (ms): the table's TTL deletes it then. */
  readonly #expiresAt: (endedAt: number) => number;

  constructor(documents: DynamoDBDocumentClient, table: string, newDelivery: NewDeliveryPut, expiresAt: (endedAt: number) => number) {
    this.#documents = documents;
    this.#table = table;
    this.#newDelivery = newDelivery;
    this.#expiresAt = expiresAt;
  }

  /** Every silence, read consistently (one added a moment ago by another process counts); those ended before `from` left out. */
  async silences(from = 0): Promise<Silence[]> {
    const found: Silence[] = [];
    const pages = paginateQuery(
      { client: this.#documents },
      { TableName: this.#table, KeyConditionExpression: 'alert_id = :silences', ExpressionAttributeValues: { ':silences': SILENCES }, ConsistentRead: true },
    );
    for await (const page of pages) for (const item of page.Items ?? []) if ((item.ends_at as number) > from) found.push(silenceOf(item));
    return found.sort((a, b) => a.createdAt - b.createdAt);
  }

  async addSilence(silence: Silence): Promise<void> {
    const { id, matchers, startsAt, endsAt, createdBy, comment, createdAt } = silence;
    await this.#documents.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          alert_id: SILENCES,
          output: id,
          matchers: JSON.stringify(matchers),
          starts_at: startsAt,
          ends_at: endsAt,
          created_by: createdBy,
          comment,
          created_at: createdAt,
          [EXPIRES_AT]: this.#expiresAt(endsAt),
        },
        ConditionExpression: 'attribute_not_exists(alert_id)',
      }),
    );
  }

  async expireSilence(id: string, now: number): Promise<Silence | undefined> {
    try {
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { alert_id: SILENCES, output: id },
          UpdateExpression: 'SET ends_at = :now, #expires = :expires',
          ConditionExpression: 'attribute_exists(alert_id) AND ends_at > :now',
          ExpressionAttributeNames: { '#expires': EXPIRES_AT },
          ExpressionAttributeValues: { ':now': now, ':expires': this.#expiresAt(now) },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
    const { Item } = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: { alert_id: SILENCES, output: id }, ConsistentRead: true }));
    return Item && silenceOf(Item);
  }

  /**
   * Saves the alert when noise control keeps it from being sent as any other (see
   * SqliteNoise.decide: silenced, inhibited, or counted in its dedup window, sent or not);
   * `saved: false` leaves the alert to the store's usual save.
   */
  async save(alert: Alert, silences: readonly Silence[]): Promise<NoiseSaved> {
    const noise = noiseOf(alert);
    const created = alert.created.getTime();
    if (noise?.inhibits) {
      for (const rule of noise.inhibits.rules) await this.#inhibit(rule, noise.inhibits.key, created + noise.inhibits.windowMs, alert.ruleName);
    }
    const silence = silences.length > 0 ? silenceFor(alert, silences) : undefined;
    if (silence) return this.#putSuppressed(alert, { reason: 'silenced', silenceId: silence.id });
    if (!noise) return NOT_SAVED;
    const inhibitor = await this.#inhibitor(alert.ruleName, noise.key, created);
    if (inhibitor) return this.#putSuppressed(alert, { reason: 'inhibited', byRule: inhibitor });
    if (!noise.dedup) return NOT_SAVED;
    return this.#count(alert, noise.key, noise.dedup.periodMs, noise.dedup.threshold);
  }

  /** Closes the dedup windows due by `now`: see AlertStore.closeDueDedups. */
  async closeDue(now: number): Promise<Alert[]> {
    const { Items = [] } = await this.#documents.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: DUE_INDEX,
        KeyConditionExpression: '#queue = :queue AND next_attempt_at <= :now',
        ExpressionAttributeNames: { '#queue': 'queue' },
        ExpressionAttributeValues: { ':queue': DEDUP_QUEUE, ':now': now },
        Limit: CLOSE_BATCH,
      }),
    );
    const updates: Alert[] = [];
    for (const due of Items as WindowItem[]) {
      // The index is eventually consistent; the window's own item is read consistently, and the close is conditional on its count.
      const { Item } = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: windowKey(due.window_id), ConsistentRead: true }));
      const window = Item as WindowItem | undefined;
      if (!window?.queue) continue;
      const sent = window.sent_alert === undefined ? undefined : await this.#alert(window.sent_alert);
      const update = sent
        ? dedupUpdateAlert(
            { ruleName: window.rule_name, key: window.dedup_key, periodMs: window.period_ms, count: window.count, sentCount: window.sent_count ?? window.count, firstAt: window.opened_at, lastAt: window.last_at },
            sent,
          )
        : undefined;
      const closed = await this.#transact([
        {
          Update: {
            TableName: this.#table,
            Key: windowKey(window.window_id),
            UpdateExpression: `SET closed = :true${update ? ', update_alert = :update' : ''} REMOVE #queue`,
            ConditionExpression: 'attribute_exists(#queue) AND #count = :seen',
            ExpressionAttributeNames: { '#queue': 'queue', '#count': 'count' },
            ExpressionAttributeValues: { ':true': true, ':seen': window.count, ...(update && { ':update': update.id }) },
          },
        },
        ...(update ? newAlertPuts(this.#table, update, this.#newDelivery) : []),
      ]);
      if (closed === 'done' && update) updates.push(update);
    }
    return updates;
  }

  /**
   * Counts the alert in its window and saves it, in one transaction conditional on the count
   * read: the open window when the alert falls within it, else a new one it opens. The alert
   * that brings the count to the threshold is saved with its deliveries, the others with their
   * marker. Saving an alert again changes nothing.
   */
  async #count(alert: Alert, key: string, periodMs: number, threshold: number): Promise<NoiseSaved> {
    const created = alert.created.getTime();
    const pointerKey = { alert_id: `dedup#open#${sha256(`${alert.ruleName}\n${key}`)}`, output: NOISE_ITEM };
    for (let tries = 0; tries < COUNT_TRIES; tries++) {
      if (tries > 0) await sleep(Math.random() * 20 * tries);
      const { Item: pointer } = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: pointerKey, ConsistentRead: true }));
      const openId = pointer?.window_id as string | undefined;
      if (openId !== undefined && created <= (pointer!.closes_at as number)) {
        const { Item } = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: windowKey(openId), ConsistentRead: true }));
        const window = Item as WindowItem | undefined;
        if (window?.queue) {
          const counted = window.count + 1;
          const sends = window.sent_alert === undefined && counted >= window.threshold;
          const suppression: Suppression | undefined =
            window.sent_alert !== undefined
              ? { reason: 'deduplicated', windowId: openId, onto: window.sent_alert }
              : sends
                ? undefined
                : { reason: 'below_threshold', windowId: openId };
          const joined = await this.#transact([
            this.#putAlert(alert, suppression),
            {
              Update: {
                TableName: this.#table,
                Key: windowKey(openId),
                UpdateExpression: `SET #count = :counted, last_at = :last${sends ? ', sent_alert = :sent, sent_count = :counted' : ''}`,
                ConditionExpression: 'attribute_exists(#queue) AND #count = :seen',
                ExpressionAttributeNames: { '#queue': 'queue', '#count': 'count' },
                ExpressionAttributeValues: { ':counted': counted, ':seen': window.count, ':last': Math.max(window.last_at, created), ...(sends && { ':sent': alert.id }) },
              },
            },
            ...(sends ? this.#deliveries(alert) : []),
          ]);
          if (joined !== 'conflict') return savedAs(joined, suppression);
          continue;
        }
        // Closed meanwhile: this alert opens the next window.
      }
      const id = timeOrderedUuid(created);
      const closesAt = created + periodMs;
      const sends = threshold <= 1;
      const suppression: Suppression | undefined = sends ? undefined : { reason: 'below_threshold', windowId: id };
      const opened = await this.#transact([
        this.#putAlert(alert, suppression),
        {
          Put: {
            TableName: this.#table,
            Item: {
              ...windowKey(id),
              window_id: id,
              rule_name: alert.ruleName,
              dedup_key: key,
              period_ms: periodMs,
              opened_at: created,
              closes_at: closesAt,
              last_at: created,
              threshold,
              count: 1,
              ...(sends && { sent_alert: alert.id, sent_count: 1 }),
              closed: false,
              queue: DEDUP_QUEUE,
              next_attempt_at: closesAt,
              [EXPIRES_AT]: this.#expiresAt(closesAt),
            },
          },
        },
        // Another process may have opened a window meanwhile: then this alert counts in that one.
        openWindowPut(this.#table, pointerKey, { id, closesAt, expiresAt: this.#expiresAt(closesAt) }, openId),
        ...(sends ? this.#deliveries(alert) : []),
      ]);
      if (opened !== 'conflict') return savedAs(opened, suppression);
    }
    throw new StoreError(`the alerts table ${this.#table}: alert ${alert.id} could not be counted in its dedup window (${COUNT_TRIES} tries lost to other processes); try again`, {
      location: this.#table,
      code: 'DEDUP_CONTENDED',
      setup: false,
    });
  }

  async #inhibit(rule: string, key: string, until: number, byRule: string): Promise<void> {
    try {
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: inhibitionKey(rule, key),
          UpdateExpression: 'SET #until = :until, by_rule = :by, #expires = :expires',
          ConditionExpression: 'attribute_not_exists(alert_id) OR #until < :until',
          ExpressionAttributeNames: { '#until': 'until', '#expires': EXPIRES_AT },
          ExpressionAttributeValues: { ':until': until, ':by': byRule, ':expires': this.#expiresAt(until) },
        }),
      );
    } catch (error) {
      // A later inhibition holds already.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** The rule holding back `rule`'s alerts for `key` at `at`, if one does. */
  async #inhibitor(rule: string, key: string, at: number): Promise<string | undefined> {
    const answer = await this.#documents.send(
      new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: [inhibitionKey(rule, key), inhibitionKey(rule, ANY_KEY)], ConsistentRead: true } } }),
    );
    const holding = (answer.Responses?.[this.#table] ?? []).find((item) => (item.until as number) >= at);
    return holding?.by_rule as string | undefined;
  }

  async #putSuppressed(alert: Alert, suppression: Suppression): Promise<NoiseSaved> {
    try {
      await this.#documents.send(new PutCommand((this.#putAlert(alert, suppression) as { Put: ConstructorParameters<typeof PutCommand>[0] }).Put));
    } catch (error) {
      // Saved before: saving again changes nothing.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      return { saved: true };
    }
    return { saved: true, suppressed: suppression.reason };
  }

  #putAlert(alert: Alert, suppression: Suppression | undefined): TransactItem {
    return { Put: { TableName: this.#table, Item: alertItem(suppression ? suppressed(alert, suppression) : alert), ConditionExpression: 'attribute_not_exists(alert_id)' } };
  }

  #deliveries(alert: Alert): TransactItem[] {
    return deliveryPuts(alert, alert.created.getTime(), this.#newDelivery);
  }

  async #alert(id: string): Promise<Alert | undefined> {
    const { Item } = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: { alert_id: id, output: ALERT_ITEM }, ConsistentRead: true }));
    try {
      return Item ? parseAlert(Item.alert as string) : undefined;
    } catch {
      return undefined;
    }
  }

  /** All or nothing: 'done'; 'saved-before' when the first item (the alert) exists already; 'conflict' when another condition failed. */
  async #transact(items: TransactItem[]): Promise<'done' | 'saved-before' | 'conflict'> {
    try {
      await this.#documents.send(new TransactWriteCommand({ TransactItems: items }));
      return 'done';
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if ((error as { name?: string }).name !== 'TransactionCanceledException' && !reasons) throw error;
      return reasons?.[0]?.Code === 'ConditionalCheckFailed' && 'Put' in items[0]! ? 'saved-before' : 'conflict';
    }
  }
}

function silenceOf(item: Record<string, unknown>): Silence {
  return {
    id: item.output as string,
    matchers: JSON.parse(item.matchers as string),
    startsAt: item.starts_at as number,
    endsAt: item.ends_at as number,
    createdBy: item.created_by as string,
    comment: item.comment as string,
    createdAt: item.created_at as number,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function windowKey(windowId: string) {
  return { alert_id: `dedup#window#${windowId}`, output: NOISE_ITEM };
}

function inhibitionKey(rule: string, key: string) {
  return { alert_id: `inhibit#${sha256(`${rule}\n${key}`)}`, output: NOISE_ITEM };
}
