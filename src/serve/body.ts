import type { IncomingMessage } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BodyTooLargeError, ClientGoneError, InvalidBodyError, UnsupportedEncodingError } from './errors.ts';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * A request's body as it arrives, gunzipped when it is gzip (by Content-Encoding or by its
 * first bytes, as the record reader would otherwise inflate it unchecked). Past `maxBytes`,
 * whether received or inflated, it throws BodyTooLargeError: a gzip bomb is refused like any
 * other oversize body. Stopping early leaves the request readable, so the caller can still
 * answer on the connection.
 *
 * @example
 *   for await (const batch of readRecordBatches(requestBody(request, 10 * 1024 * 1024))) ...
 */
export function requestBody(request: IncomingMessage, maxBytes: number): AsyncIterable<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') throw new UnsupportedEncodingError(encoding);
  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  return inflated(limited(received(request), maxBytes), maxBytes);
}

/** The request's chunks; a client gone before the end of its body is a ClientGoneError (nothing of the request is stored). */
async function* received(request: IncomingMessage): AsyncGenerator<Buffer> {
  try {
    yield* request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') throw new ClientGoneError({ cause: error });
    throw error;
  }
}

/** The chunks of `source`, throwing once more than `maxBytes` have come. */
async function* limited(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) throw new BodyTooLargeError(maxBytes);
    yield chunk;
  }
}

/** Inflates gzip, layer by layer (gzip inside gzip too), each layer held to `maxBytes`. */
async function* inflated(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  // The magic is two bytes, and a client may send them in separate chunks.
  let head = Buffer.alloc(0);
  while (head.length < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  const whole = prepend(head, { [Symbol.asyncIterator]: () => iterator });
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) return yield* whole;
  yield* inflated(gunzipped(whole, maxBytes), maxBytes);
}

/** One layer of gzip inflated, held to `maxBytes`; broken gzip is an InvalidBodyError. */
async function* gunzipped(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  // pipeline hands a failure on either side (the source too large, the data not gzip) to the reader of `gunzip`.
  pipeline(Readable.from(source), gunzip, () => {});
  try {
    yield* limited(gunzip, maxBytes);
  } catch (error) {
    if (isZlibError(error)) throw new InvalidBodyError(`the body is not valid gzip (${error.message}): send it plain, or gzip it whole`, { cause: error });
    throw error;
  }
}

function isZlibError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('Z_');
}

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  yield* rest;
}
