import { createHash } from 'node:crypto';
import { KPL_MAGIC } from '../../../src/lambda/events/kpl.ts';

/**
 * A KPL aggregated record as the Kinesis Producer Library writes it
 * (https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md):
 * magic, protobuf AggregatedRecord { partition_key_table = 1; explicit_hash_key_table = 2;
 * records = 3 { partition_key_index = 1; explicit_hash_key_index = 2; data = 3; tags = 4 } }, MD5.
 */
export function aggregate(userRecords: readonly { partitionKey: string; data: Buffer | string }[]): Buffer {
  const keys = [...new Set(userRecords.map((record) => record.partitionKey))];
  const body = Buffer.concat([
    ...keys.map((key) => field(1, Buffer.from(key))),
    ...userRecords.map((record) =>
      field(3, Buffer.concat([varintField(1, keys.indexOf(record.partitionKey)), field(3, Buffer.from(record.data)), field(4, field(1, Buffer.from('origin')))])),
    ),
  ]);
  return Buffer.concat([KPL_MAGIC, body, createHash('md5').update(body).digest()]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return Buffer.from(bytes);
}

function field(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint(number * 8 + 2), varint(bytes.length), bytes]);
}

function varintField(number: number, value: number): Buffer {
  return Buffer.concat([varint(number * 8), varint(value)]);
}
