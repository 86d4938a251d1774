import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AwsClients } from '../aws/clients.ts';

/**
 * How long one table read may take, from the request to the last byte. Longer than an output's
 * call: a table of 64 MiB over a slow link takes a while, and a load happens once in minutes.
 */
export const TABLE_READ_TIMEOUT_MS = 60_000;

/** The S3 clients of lookup tables (the SDK's standard configuration, AWS_ENDPOINT_URL too). */
export function tableAwsClients(region: string): AwsClients {
  return new AwsClients({ region, timeoutMs: TABLE_READ_TIMEOUT_MS });
}

/**
 * A DynamoDB document client (values unmarshalled), built on first use: the SDK is imported
 * only by a project that has a DynamoDB table, so other commands never load it.
 *
 * @example
 *   const client = lazyDocumentClient('us-east-1');
 *   const doc = await client();  // the same client on every call
 */
export function lazyDocumentClient(region: string, timeoutMs = TABLE_READ_TIMEOUT_MS): () => Promise<DynamoDBDocumentClient> {
  let client: Promise<DynamoDBDocumentClient> | undefined;
  return () =>
    (client ??= (async () => {
      const [{ DynamoDBClient }, { DynamoDBDocumentClient }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('@aws-sdk/lib-dynamodb')]);
      const base = new DynamoDBClient({
        region,
        requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
      });
      return DynamoDBDocumentClient.from(base);
    })());
}

/**
 * A DynamoDB value as JSON: sets become lists and binary becomes base64 text, so that a value
 * can be frozen and serialized with the alert like any other.
 */
export function jsonValue(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(jsonValue);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(jsonValue);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsonValue(inner)]));
  return value;
}
