import { createHash } from 'node:crypto';

/**
 * The KPL's aggregated records (https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md):
 * the magic bytes F3 89 9A C2, a protobuf `AggregatedRecord`, then the MD5 of the protobuf bytes.
 * A record without the magic, or whose MD5 does not match, is a plain record, as the KCL treats
 * it. Only the user records' data is read (partition keys and tags are not needed here); a
 * buffer is at most one Kinesis record (1 MiB), and every length is checked against its end.
 */
export const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const MD5_BYTES = 16;

/** An aggregated record whose checksum matched but whose protobuf does not parse. */
export class AggregatedRecordError extends Error {
  override name = 'AggregatedRecordError';
}

/**
 * The user records of one Kinesis record's data: its sub-records' data when it is a KPL
 * aggregate, else the data itself.
 *
 * @example
 *   deaggregate(Buffer.from(record.kinesis.data, 'base64'))  // [Buffer, Buffer, ...]
 */
export function deaggregate(data: Buffer): Buffer[] {
  if (!isAggregated(data)) return [data];
  const body = data.subarray(KPL_MAGIC.length, data.length - MD5_BYTES);
  return fieldsOf(body, 'AggregatedRecord')
    .filter((field) => field.number === 3)
    .map((field) => {
      const data = fieldsOf(lengthDelimited(field), 'Record').find((inner) => inner.number === 3);
      if (!data) throw new AggregatedRecordError('an aggregated Kinesis record holds a record without data');
      return lengthDelimited(data);
    });
}

/** True when `data` opens with the KPL's magic and ends with the MD5 of what is between. */
export function isAggregated(data: Buffer): boolean {
  if (data.length < KPL_MAGIC.length + MD5_BYTES || !data.subarray(0, KPL_MAGIC.length).equals(KPL_MAGIC)) return false;
  const body = data.subarray(KPL_MAGIC.length, data.length - MD5_BYTES);
  return createHash('md5').update(body).digest().equals(data.subarray(data.length - MD5_BYTES));
}

/** One protobuf field as read: a varint's value, or a length-delimited field's bytes. */
interface Field {
  number: number;
  wireType: number;
  value: number;
  bytes?: Buffer;
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

function lengthDelimited(field: Field): Buffer {
  if (field.wireType !== LENGTH_DELIMITED || !field.bytes) throw new AggregatedRecordError(`field ${field.number} of an aggregated Kinesis record is not length-delimited`);
  return field.bytes;
}

/** The fields of one protobuf message, in order (unknown ones included, to be skipped by the caller). */
function fieldsOf(message: Buffer, name: string): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (offset >= message.length) throw new AggregatedRecordError(`${name}: a varint runs past the end`);
      const byte = message[offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new AggregatedRecordError(`${name}: a varint longer than 10 bytes`);
  };
  const skip = (bytes: number): Buffer => {
    if (offset + bytes > message.length) throw new AggregatedRecordError(`${name}: a field runs past the end`);
    const taken = message.subarray(offset, offset + bytes);
    offset += bytes;
    return taken;
  };
  while (offset < message.length) {
    const tag = varint();
    const field: Field = { number: Math.floor(tag / 8), wireType: tag % 8, value: 0 };
    if (field.wireType === VARINT) field.value = varint();
    else if (field.wireType === LENGTH_DELIMITED) field.bytes = skip(varint());
    else if (field.wireType === FIXED64) skip(8);
    else if (field.wireType === FIXED32) skip(4);
    else throw new AggregatedRecordError(`${name}: wire type ${field.wireType} is not one protobuf 2 writes`);
    fields.push(field);
  }
  return fields;
}
