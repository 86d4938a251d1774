import type { Readable } from 'node:stream';
import type { AwsClients } from '../../aws/clients.ts';
import { describeError } from '../../observability/describe-error.ts';
import type { S3TableConfig } from '../config.ts';
import { decodeTable, formatBytes, MiB, tooLarge, type TableRows } from '../decode.ts';
import { TableDataError } from '../errors.ts';
import type { TableDriver } from './driver.ts';

/**
 * StreamAlert's S3 driver: the whole table is one JSON object (gzip with `"compression": "gzip"`),
 * read with GetObject. A refresh sends the ETag it has (If-None-Match), so an unchanged object
 * is not downloaded again. An object over max_size_mb is refused from its Content-Length,
 * before its body is read, and a body that runs past the limit is cut off where it does.
 *
 * @example
 *   const rows = await new S3TableDriver({ driver: 's3', bucket: 'acme-tables', key: 'ip_whitelist.json.gz', compression: 'gzip', ... }, aws).load();
 */
export class S3TableDriver implements TableDriver {
  readonly source: string;
  readonly #config: S3TableConfig;
  readonly #aws: AwsClients;
  #etag: string | undefined;

  constructor(config: S3TableConfig, aws: AwsClients) {
    this.#config = config;
    this.#aws = aws;
    this.source = `s3://${config.bucket}/${config.key}`;
  }

  async load(): Promise<TableRows | undefined> {
    const [{ GetObjectCommand }, s3] = await Promise.all([import('@aws-sdk/client-s3'), this.#aws.s3()]);
    const maxBytes = this.#config.max_size_mb * MiB;
    const { bucket, key } = this.#config;
    return this.#aws.call(async (abortSignal) => {
      let object;
      try {
        object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(this.#etag !== undefined && { IfNoneMatch: this.#etag }) }), { abortSignal });
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 304) return undefined;
        throw new TableDataError(`${this.source} could not be read: ${describeError(error)}`, { cause: error });
      }
      const body = object.Body as Readable;
      if (object.ContentLength !== undefined && object.ContentLength > maxBytes) {
        body.destroy();
        throw tooLarge(this.source, `is ${formatBytes(object.ContentLength)}`, maxBytes);
      }
      const rows = decodeTable(await readBounded(body, maxBytes, this.source), { compression: this.#config.compression, maxBytes, source: this.source });
      this.#etag = object.ETag;
      return rows;
    });
  }
}

/** A body's bytes, refusing (and destroying the stream) past `maxBytes`. */
async function readBounded(body: Readable, maxBytes: number, source: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw tooLarge(source, 'holds more', maxBytes);
      chunks.push(chunk as Buffer);
    }
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks, total);
}
