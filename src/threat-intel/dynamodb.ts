import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describeError } from '../observability/describe-error.ts';
import type { Clock } from '../lookup-tables/table.ts';
import type { Indicator } from './indicator.ts';

/** BatchGetItem's limit: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
const MAX_KEYS_PER_BATCH = 100;
/** A partition key is at most 2048 bytes: a longer value cannot be in the table. */
const MAX_KEY_BYTES = 2048;
/** Retries of UnprocessedKeys (throttling), as StreamAlert's two, after a short pause each. */
const UNPROCESSED_RETRIES = 2;
const UNPROCESSED_PAUSE_MS = 100;

interface Answer {
  readonly indicator: Indicator | undefined;
  readonly expiresAt: number;
}

/**
 * StreamAlert's DynamoDB IOC table (primary key `ioc_value`; `ioc_type`, `sub_type`), asked with
 * BatchGetItem for the values of a batch of records before the rules run (fetch), the answers,
 * found or not, kept for a while so steady traffic does not ask again for the same addresses.
 * A query that fails leaves its values unanswered (no match), as StreamAlert logs and goes on.
 *
 * @example
 *   const table = new DynamoDbIndicators('threat_intel', client, 300_000, 100_000, Date.now);
 *   await table.fetch(['1.1.1.2', 'evil.com']);
 *   table.get('1.1.1.2')  // { ioc_value: '1.1.1.2', ioc_type: 'ip', sub_type: 'mal_ip' }
 */
export class DynamoDbIndicators {
  readonly table: string;
  readonly #client: () => Promise<DynamoDBDocumentClient>;
  readonly #ttlMs: number;
  readonly #maxKeys: number;
  readonly #now: Clock;
  /** In insertion order, the oldest first out when full. */
  readonly #answers = new Map<string, Answer>();

  constructor(table: string, client: () => Promise<DynamoDBDocumentClient>, ttlMs: number, maxKeys: number, now: Clock) {
    this.table = table;
    this.#client = client;
    this.#ttlMs = ttlMs;
    this.#maxKeys = maxKeys;
    this.#now = now;
  }

  /** The indicator for a value, from the answers fetched. */
  get(value: string): Indicator | undefined {
    return this.#answers.get(value)?.indicator;
  }

  /** Asks the table about the values it has no fresh answer for; returns what went wrong, if anything. */
  async fetch(values: Iterable<string>): Promise<string[]> {
    const now = this.#now();
    const wanted = [...new Set(values)].filter((value) => value !== '' && Buffer.byteLength(value) <= MAX_KEY_BYTES && !((this.#answers.get(value)?.expiresAt ?? 0) > now));
    if (wanted.length === 0) return [];
    const { BatchGetCommand } = await import('@aws-sdk/lib-dynamodb');
    const doc = await this.#client();
    const problems: string[] = [];
    for (let start = 0; start < wanted.length; start += MAX_KEYS_PER_BATCH) {
      let keys = wanted.slice(start, start + MAX_KEYS_PER_BATCH);
      const found = new Map<string, Indicator>();
      for (let attempt = 0; keys.length > 0; attempt++) {
        let response;
        try {
          response = await doc.send(
            new BatchGetCommand({
              RequestItems: {
                [this.table]: {
                  Keys: keys.map((value) => ({ ioc_value: value })),
                  ProjectionExpression: '#v, #t, #s',
                  ExpressionAttributeNames: { '#v': 'ioc_value', '#t': 'ioc_type', '#s': 'sub_type' },
                },
              },
            }),
          );
        } catch (error) {
          problems.push(`threat intel: dynamodb table ${this.table}: ${describeError(error)}; ${keys.length} values were not checked`);
          break;
        }
        for (const item of response.Responses?.[this.table] ?? []) {
          if (typeof item.ioc_value === 'string') found.set(item.ioc_value, indicatorOf(item));
        }
        const answered = new Set(keys);
        keys = (response.UnprocessedKeys?.[this.table]?.Keys ?? []).map((key) => String(key.ioc_value));
        for (const value of keys) answered.delete(value);
        this.#remember(answered, found);
        if (keys.length === 0) break;
        if (attempt === UNPROCESSED_RETRIES) {
          problems.push(`threat intel: dynamodb table ${this.table} left ${keys.length} values unprocessed (throttled?); they were not checked`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, UNPROCESSED_PAUSE_MS * (attempt + 1)));
      }
    }
    return problems;
  }

  #remember(values: Iterable<string>, found: ReadonlyMap<string, Indicator>): void {
    const expiresAt = this.#now() + this.#ttlMs;
    for (const value of values) {
      this.#answers.delete(value);
      this.#answers.set(value, { indicator: found.get(value), expiresAt });
    }
    for (const oldest of this.#answers.keys()) {
      if (this.#answers.size <= this.#maxKeys) break;
      this.#answers.delete(oldest);
    }
  }
}

function indicatorOf(item: Record<string, unknown>): Indicator {
  return Object.freeze({
    ioc_value: item.ioc_value as string,
    ...(typeof item.ioc_type === 'string' && { ioc_type: item.ioc_type }),
    ...(typeof item.sub_type === 'string' && { sub_type: item.sub_type }),
  });
}
