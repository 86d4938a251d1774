import { createHash } from 'node:crypto';
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, GetCommand, paginateQuery, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { timeOrderedUuid, type Alert } from '../alerts/alert.ts';
import { mergeSettingsOf } from '../merge/settings.ts';
import { StoreError } from './errors.ts';
import { MAX_ALERTS_PER_MERGE, type BuildMergedAlert, type MergeMembership, type OpenMerges } from './merges.ts';
import { ALERT_ITEM, alertItem, deliveryPuts, EXPIRES_AT, newAlertPuts, openWindowPut, type NewDeliveryPut } from './dynamodb-items.ts';
import { parseAlert } from './serialize.ts';

/** The sort key of merge items; the alert's own item is '#alert', deliveries use output names. */
const MERGE_ITEM = '#merge';
/** Open windows sit in the table's sparse 'due' index under this queue, ordered by when they close. */
const MERGE_QUEUE = 'merge';
const DUE_INDEX = 'due';
/** Windows closed per call: the rest wait for the next (a merger calls every second). */
const CLOSE_BATCH = 100;
/** Tries at holding an alert while other processes open or close its window at the same time. */
const HOLD_TRIES = 8;

/** A delivery's first item, as the alert store writes it (its Put, with the condition that keeps a delivery from being reset). */

interface WindowItem {
  alert_id: string;
  window_id: string;
  rule_name: string;
  closes_at: number;
  members: number;
  member_ids: string[];
  closed: boolean;
  merged_into?: string;
}

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * The DynamoDB side of alert merging, items in the alerts table beside the alerts:
 * - a window: `merge#window#<id>` / '#merge', with its alerts' ids; while open it carries
 *   queue 'merge' and next_attempt_at = its close, so the 'due' index finds the windows due;
 * - the open window of a rule and merge key: `merge#open#<sha256 of both>` / '#merge', naming it;
 * - the alert's own item carries `merge_window` and `sent_alone`.
 * Every change is a transaction with conditions: an alert joins a window only while it is open
 * and has room, a window closes only if no alert joined since it was read, and only once.
 */
export class DynamoDbMerges {
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

  /**
   * Saves a merging rule's alert and puts it in its window (the open one, when the alert falls
   * within it and it has room; else a new one), in one transaction. The first alert of a
   * `mergeSendFirst` window also gets its deliveries. Saving an alert again changes nothing.
   */
  async hold(alert: Alert): Promise<void> {
    const settings = mergeSettingsOf(alert)!;
    const created = alert.created.getTime();
    const pointerKey = { alert_id: `merge#open#${createHash('sha256').update(`${alert.ruleName}\n${settings.key}`).digest('hex')}`, output: MERGE_ITEM };
    for (let tries = 0; tries < HOLD_TRIES; tries++) {
      const { Item: pointer } = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: pointerKey, ConsistentRead: true }));
      const openId = pointer?.window_id as string | undefined;
      if (openId !== undefined && created <= (pointer!.closes_at as number)) {
        const joined = await this.#transact([
          this.#putAlert(alert, openId, false),
          {
            Update: {
              TableName: this.#table,
              Key: windowKey(openId),
              UpdateExpression: 'SET members = members + :one, member_ids = list_append(member_ids, :id)',
              ConditionExpression: 'attribute_exists(#queue) AND members < :max',
              ExpressionAttributeNames: { '#queue': 'queue' },
              ExpressionAttributeValues: { ':one': 1, ':id': [alert.id], ':max': MAX_ALERTS_PER_MERGE },
            },
          },
        ]);
        if (joined !== 'conflict') return;
        // Closed or full meanwhile: this alert opens the next window.
      }
      const id = timeOrderedUuid(created);
      const closesAt = created + settings.windowMs;
      const opened = await this.#transact([
        this.#putAlert(alert, id, settings.sendFirst),
        {
          Put: {
            TableName: this.#table,
            Item: {
              ...windowKey(id),
              window_id: id,
              rule_name: alert.ruleName,
              merge_key: settings.key,
              opened_at: created,
              closes_at: closesAt,
              members: 1,
              member_ids: [alert.id],
              closed: false,
              queue: MERGE_QUEUE,
              next_attempt_at: closesAt,
              [EXPIRES_AT]: this.#expiresAt(closesAt),
            },
          },
        },
        // Another process may have opened a window meanwhile: then this alert tries to join that one.
        openWindowPut(this.#table, pointerKey, { id, closesAt, expiresAt: this.#expiresAt(closesAt) }, openId),
        ...(settings.sendFirst ? deliveryPuts(alert, created, this.#newDelivery) : []),
      ]);
      if (opened !== 'conflict') return;
    }
    throw new StoreError(`the alerts table ${this.#table}: alert ${alert.id} could not be put in a merge window (${HOLD_TRIES} tries lost to other processes); try again`, {
      location: this.#table,
      code: 'MERGE_CONTENDED',
      setup: false,
    });
  }

  /** Closes the windows due by `now` that no other process closes first: see AlertStore.closeDueMerges. */
  async closeDue(now: number, build: BuildMergedAlert): Promise<Alert[]> {
    const { Items = [] } = await this.#documents.send(new QueryCommand({ ...this.#openQuery(now), Limit: CLOSE_BATCH }));
    const merged: Alert[] = [];
    for (const due of Items as WindowItem[]) {
      // The index is eventually consistent: its copy may lack members that joined a moment ago,
      // and the close below is conditional on the count. The table's own item is read consistently.
      const { Item } = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: windowKey(due.window_id), ConsistentRead: true }));
      const window = Item as WindowItem | undefined;
      if (!window || window.closed) continue;
      const members = [...(await this.#alerts(window.member_ids)).values()].sort((a, b) => a.created.getTime() - b.created.getTime());
      const alert = members.length > 0 ? build(members) : undefined;
      const closed = await this.#transact([
        {
          Update: {
            TableName: this.#table,
            Key: windowKey(window.window_id),
            UpdateExpression: `SET closed = :true${alert ? ', merged_into = :merged' : ''} REMOVE #queue`,
            // An alert that joined after the read is in no merged alert yet: close it on the next call.
            ConditionExpression: 'attribute_exists(#queue) AND members = :seen',
            ExpressionAttributeNames: { '#queue': 'queue' },
            ExpressionAttributeValues: { ':true': true, ':seen': window.members, ...(alert && { ':merged': alert.id }) },
          },
        },
        ...(alert ? newAlertPuts(this.#table, alert, this.#newDelivery) : []),
      ]);
      if (closed !== 'done') continue;
      if (alert) merged.push(alert);
      await this.#expireHeld(window.member_ids, now);
    }
    return merged;
  }

  /**
   * The members of a closed window that were held, never sent (their record lives on in the
   * merged alert), expire as finished alerts do; one sent alone expires when its deliveries end.
   * A crash before this leaves them unexpired, which costs storage and nothing else.
   */
  async #expireHeld(memberIds: readonly string[], now: number): Promise<void> {
    for (const alertId of memberIds) {
      try {
        await this.#documents.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { alert_id: alertId, output: ALERT_ITEM },
            UpdateExpression: 'SET #expires = :expires',
            ConditionExpression: 'sent_alone = :false',
            ExpressionAttributeNames: { '#expires': EXPIRES_AT },
            ExpressionAttributeValues: { ':expires': this.#expiresAt(now), ':false': false },
          }),
        );
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  }

  async open(): Promise<OpenMerges> {
    let count = 0;
    let nextClosesAt: number | undefined;
    for await (const page of paginateQuery({ client: this.#documents }, { ...this.#openQuery(), ProjectionExpression: 'next_attempt_at' })) {
      for (const item of page.Items ?? []) {
        count++;
        nextClosesAt ??= item.next_attempt_at as number;
      }
    }
    return { count, ...(nextClosesAt !== undefined && { nextClosesAt }) };
  }

  async memberships(alertIds: readonly string[]): Promise<Map<string, MergeMembership>> {
    const held = (await this.#batchGet([...new Set(alertIds)].map((id) => ({ alert_id: id, output: ALERT_ITEM })), 'alert_id, merge_window, sent_alone')).filter(
      (item) => typeof item.merge_window === 'string',
    );
    const windows = new Map(
      (await this.#batchGet([...new Set(held.map((item) => item.merge_window as string))].map(windowKey))).map((item) => [item.window_id as string, item as unknown as WindowItem]),
    );
    const found = new Map<string, MergeMembership>();
    for (const item of held) {
      const window = windows.get(item.merge_window as string);
      if (!window) continue;
      found.set(item.alert_id as string, {
        windowId: window.window_id,
        closesAt: window.closes_at,
        closed: window.closed,
        sentAlone: item.sent_alone === true,
        ...(window.merged_into !== undefined && { mergedInto: window.merged_into }),
      });
    }
    return found;
  }

  #putAlert(alert: Alert, windowId: string, sentAlone: boolean): TransactItem {
    return { Put: { TableName: this.#table, Item: { ...alertItem(alert), merge_window: windowId, sent_alone: sentAlone }, ConditionExpression: 'attribute_not_exists(alert_id)' } };
  }

  /** Open windows, soonest to close first; with `dueBy`, those closing by then. */
  #openQuery(dueBy?: number) {
    return {
      TableName: this.#table,
      IndexName: DUE_INDEX,
      KeyConditionExpression: dueBy === undefined ? '#queue = :queue' : '#queue = :queue AND next_attempt_at <= :dueBy',
      ExpressionAttributeNames: { '#queue': 'queue' },
      ExpressionAttributeValues: { ':queue': MERGE_QUEUE, ...(dueBy !== undefined && { ':dueBy': dueBy }) },
    };
  }

  /**
   * Writes all or nothing: 'done'; 'saved-before' when the first item (the alert) exists
   * already, which means this work was done; 'conflict' when another condition failed.
   */
  async #transact(items: TransactItem[]): Promise<'done' | 'saved-before' | 'conflict'> {
    try {
      await this.#documents.send(new TransactWriteCommand({ TransactItems: items }));
      return 'done';
    } catch (error) {
      const reasons = (error as { name?: string; CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if ((error as { name?: string }).name !== 'TransactionCanceledException' && !reasons) throw error;
      // An alert being held is the first item; a window's close puts the merged alert second, and never finds it there.
      return reasons?.[0]?.Code === 'ConditionalCheckFailed' && 'Put' in items[0]! ? 'saved-before' : 'conflict';
    }
  }

  async #alerts(ids: readonly string[]): Promise<Map<string, Alert>> {
    const found = new Map<string, Alert>();
    for (const item of await this.#batchGet(ids.map((id) => ({ alert_id: id, output: ALERT_ITEM })))) {
      try {
        found.set(item.alert_id as string, parseAlert(item.alert as string));
      } catch {
        // A corrupt alert is left out of the merged one; the store reports it where it lists alerts.
      }
    }
    return found;
  }

  /** Items by key, 100 a request (BatchGetItem's limit), unprocessed keys asked again; read consistently, as another process may have just written them. */
  async #batchGet(keys: Record<string, unknown>[], projection?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let batch: Record<string, unknown>[] | undefined = keys.slice(start, start + 100);
      while (batch && batch.length > 0) {
        const answer: BatchGetCommandOutput = await this.#documents.send(
          new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: batch, ConsistentRead: true, ...(projection !== undefined && { ProjectionExpression: projection }) } } }),
        );
        items.push(...(answer.Responses?.[this.#table] ?? []));
        batch = answer.UnprocessedKeys?.[this.#table]?.Keys;
      }
    }
    return items;
  }
}

function windowKey(windowId: string) {
  return { alert_id: `merge#window#${windowId}`, output: MERGE_ITEM };
}
