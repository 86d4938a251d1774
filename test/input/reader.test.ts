import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.ts';
import { openInput, readRecordBatches, readRecords, type InputRecord, type ReadOptions } from '../../src/input/reader.ts';

/** Feeds `text` in chunks of `size` bytes, so every chunk boundary a real stream may cut is tried. */
async function read(text: string | Buffer, size: number, options: ReadOptions = {}): Promise<InputRecord[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const out: InputRecord[] = [];
  for await (const item of readRecords(Readable.from(chunks), options)) out.push(item);
  return out;
}

/** The same records whatever the chunk size: 1 byte, odd sizes, all at once. */
async function readEveryWay(text: string | Buffer, options: ReadOptions = {}): Promise<InputRecord[]> {
  const whole = await read(text, 1 << 20, options);
  for (const size of [1, 2, 3, 7, 64]) expect(await read(text, size, options)).toEqual(whole);
  return whole;
}

const values = (items: InputRecord[]) => items.map((item) => item.value);

describe('reading records from a stream', () => {
  it('reads NDJSON, skipping blank lines and reporting a bad line by its number', async () => {
    const text = '{"eventName":"a"}\n\n  \r\n{"eventName":"b","note":"x\\"y é"}\r\nnot json\n{"eventName":"c"}';
    const items = await readEveryWay(text);
    expect(items.map((item) => item.ordinal)).toEqual([1, 2, 3, 4]);
    expect(values(items)).toEqual([{ eventName: 'a' }, { eventName: 'b', note: 'x"y é' }, undefined, { eventName: 'c' }]);
    expect(items[2]!.error).toMatch(/^line 5 is not valid JSON/);
  });

  it('reads the elements of a top-level JSON array, whatever their type, and several arrays', async () => {
    const text = ' [ {"a":1}, {"b":"]}\\\\\\""} ,3, "s", null, [1,[2]] ]\n[{"z":1}]';
    expect(values(await readEveryWay(text))).toEqual([{ a: 1 }, { b: ']}\\"' }, 3, 's', null, [1, [2]], { z: 1 }]);
  });

  it('streams the Records of a CloudTrail file one by one, each in its own envelope', async () => {
    const file = JSON.stringify({ Records: [{ eventName: 'ConsoleLogin' }, { eventName: 'DescribeInstances', requestParameters: { filterSet: {} } }] }, null, 2);
    expect(values(await readEveryWay(`${file}\n${file}`))).toEqual([
      { Records: [{ eventName: 'ConsoleLogin' }] },
      { Records: [{ eventName: 'DescribeInstances', requestParameters: { filterSet: {} } }] },
      { Records: [{ eventName: 'ConsoleLogin' }] },
      { Records: [{ eventName: 'DescribeInstances', requestParameters: { filterSet: {} } }] },
    ]);
  });

  it('reads pretty-printed objects one after another, and a bare value at the end', async () => {
    const text = '{\n  "a": 1,\n  "b": {"c": "}"}\n}\n{\n "d": [2]\n}\n42';
    expect(values(await readEveryWay(text))).toEqual([{ a: 1, b: { c: '}' } }, { d: [2] }, 42]);
  });

  it('gunzips gzip input (CloudTrail delivers .json.gz)', async () => {
    const gz = gzipSync(JSON.stringify({ Records: [{ eventName: 'x' }, { eventName: 'y' }] }));
    expect(values(await readEveryWay(gz))).toEqual([{ Records: [{ eventName: 'x' }] }, { Records: [{ eventName: 'y' }] }]);
  });

  it('drops a byte order mark', async () => {
    expect(values(await readEveryWay('\uFEFF{"a":1}\n{"a":2}\n'))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it.each([
    ['an array cut short', '[{"a":1},{"b":', [{ a: 1 }], 'the input ends inside a JSON array'],
    ['a missing comma', '[{"a":1} {"b":2}]', [{ a: 1 }], "expected ',' or ']' after array element 1; reading stopped"],
    ['an object cut short', '{\n"a": [1,', [], 'the input ends inside a JSON value'],
    ['an element that is not JSON', '[{"a":1}, nope]', [{ a: 1 }], 'array element 2 is not valid JSON'],
  ])('reports %s as an error record', async (_name, text, good, error) => {
    const items = await readEveryWay(text);
    expect(values(items.filter((item) => item.error === undefined))).toEqual(good);
    expect(items.at(-1)!.error).toContain(error);
  });

  it('yields nothing for empty or blank input', async () => {
    expect(await readEveryWay('')).toEqual([]);
    expect(await readEveryWay(' \n\n ')).toEqual([]);
  });

  it('hands records over in batches, one per chunk read', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i }));
    const bytes = Buffer.from(lines.join('\n'));
    const chunks = [bytes.subarray(0, 5000), bytes.subarray(5000)];
    const batches: InputRecord[][] = [];
    for await (const batch of readRecordBatches(Readable.from(chunks))) batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat().map((item) => (item.value as { i: number }).i)).toEqual(lines.map((_, i) => i));
  });
});

describe('opening the input of a run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamalert-input-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file by path', async () => {
    const path = join(dir, 'events.ndjson');
    writeFileSync(path, '{"a":1}\n{"a":2}\n');
    const out: unknown[] = [];
    for await (const item of readRecords(openInput(path))) out.push(item.value);
    expect(out).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('keeps memory flat on a large input: records come while the file is still being read', async () => {
    // 200k records; if the reader slurped, the first record would only come after the last chunk.
    let produced = 0;
    async function* source(): AsyncGenerator<Buffer> {
      for (let chunk = 0; chunk < 200; chunk++) {
        produced = chunk + 1;
        yield Buffer.from(Array.from({ length: 1000 }, (_, i) => `{"n":${chunk * 1000 + i}}\n`).join(''));
      }
    }
    let firstSeenAt = 0;
    let count = 0;
    for await (const batch of readRecordBatches(source())) {
      if (count === 0) firstSeenAt = produced;
      count += batch.length;
    }
    expect(count).toBe(200_000);
    expect(firstSeenAt).toBeLessThanOrEqual(2);
  });
});

/** `{"a":{"a":...1}}`, `levels` objects deep. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const MiB = 1024 * 1024;

/** Reads `source` to its end and returns the records it gave, or the error it threw and the records before. */
async function readUntilError(source: AsyncIterable<Buffer>, options: ReadOptions = {}): Promise<{ items: InputRecord[]; error: unknown }> {
  const items: InputRecord[] = [];
  try {
    for await (const item of readRecords(source, options)) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

describe('bounded input: records too large or too deep are rejected and reading goes on', () => {
  const small = { maxRecordBytes: 1024 };

  it('rejects an NDJSON line larger than maxRecordBytes, naming its line and the input, and reads the next lines', async () => {
    const text = ['{"a":1}', `{"big":"${'x'.repeat(5000)}"}`, '{"a":2}', ''].join('\n');
    const items = await readEveryWay(text, { ...small, source: 'events.ndjson' });
    expect(values(items)).toEqual([{ a: 1 }, undefined, { a: 2 }]);
    expect(items[1]).toEqual({
      ordinal: 2,
      line: 2,
      rejection: 'larger than input.maxRecordBytes',
      error: 'line 2 of events.ndjson is larger than 1024 bytes: skipped (input.maxRecordBytes in conf/global.json sets the limit)',
    });
  });

  it('rejects an oversize first line too: the format is told from a bounded prefix', async () => {
    const items = await readEveryWay(`{"big":"${'x'.repeat(5000)}"}\n{"a":2}`, small);
    expect(items.map((item) => item.error === undefined ? item.value : item.line)).toEqual([1, { a: 2 }]);
  });

  it('counts UTF-8 bytes, not characters', async () => {
    const items = await readEveryWay(`{"x":"${'€'.repeat(400)}"}\n{"x":"${'€'.repeat(300)}"}\n`, small);
    expect(items.map((item) => item.rejection)).toEqual(['larger than input.maxRecordBytes', undefined]);
  });

  it('rejects an oversize array element, CloudTrail record or object, scanning past it, and reads the next ones', async () => {
    // Quotes, escapes and brackets inside the big string must not end it early.
    const big = `{"big":"${'x\\"]}['.repeat(1500)}"}`;
    const array = await readEveryWay(`[{"a":1}, ${big}, {"a":2}]`, { ...small, source: 'events.json' });
    expect(values(array)).toEqual([{ a: 1 }, undefined, { a: 2 }]);
    expect(array[1]!.error).toBe('array element 2 of events.json is larger than 1024 bytes: skipped (input.maxRecordBytes in conf/global.json sets the limit)');
    const cloudtrail = await readEveryWay(`{"Records": [{"eventName":"a"}, ${big}, {"eventName":"b"}]}`, small);
    expect(values(cloudtrail)).toEqual([{ Records: [{ eventName: 'a' }] }, undefined, { Records: [{ eventName: 'b' }] }]);
    const objects = await readEveryWay(`{\n"a": 1\n}\n${big}\n{"b": 2}`, small);
    expect(values(objects)).toEqual([{ a: 1 }, undefined, { b: 2 }]);
    expect(objects[1]!.error).toMatch(/^record 2 is larger than 1024 bytes/);
  });

  it('rejects a record nested deeper than 64 levels with the reason, keeps one 64 deep, and reads on', async () => {
    const lines = await readEveryWay(['{"a":1}', nested(64), nested(65), nested(10_000), '{"a":2}'].join('\n'));
    expect(lines.map((item) => item.rejection)).toEqual([undefined, undefined, 'nested deeper than 64 levels', 'nested deeper than 64 levels', undefined]);
    expect(lines[3]).toMatchObject({ line: 4, error: 'line 4 nests objects or lists deeper than 64 levels: skipped (no log needs as many)' });
    const array = await readEveryWay(`[${nested(10_000)}, [${'['.repeat(10_000)}${']'.repeat(10_000)}], {"a":2}]`);
    expect(array.map((item) => item.error ?? item.value)).toEqual([
      'array element 1 nests objects or lists deeper than 64 levels: skipped (no log needs as many)',
      'array element 2 nests objects or lists deeper than 64 levels: skipped (no log needs as many)',
      { a: 2 },
    ]);
  });
});

describe('bounded input: linear time and memory, whatever the chunks', () => {
  /**
   * `text` as a stream of `size`-byte chunks, as a socket or a pipe may deliver it. It lets the
   * event loop turn now and then, as real I/O does, so the test timeout can end a reader that is too slow.
   */
  async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
    const bytes = Buffer.from(text);
    for (let i = 0; i * size < bytes.length; i++) {
      if (i % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
      yield bytes.subarray(i * size, (i + 1) * size);
    }
  }

  // Each of these took hours when every chunk rescanned the text held so far; the test timeout is the bound.
  it('reads past a 30 MB first line fed 1 KB at a time', async () => {
    const { items } = await readUntilError(chunked(`{"big":"${'x'.repeat(30 * MiB)}"}\n{"a":2}\n`, 1024));
    expect(items.map((item) => item.rejection ?? item.value)).toEqual(['larger than input.maxRecordBytes', { a: 2 }]);
  });

  it('reads past a 30 MB array element, and a 3 MB bare number, fed 1 KB at a time', async () => {
    const { items } = await readUntilError(chunked(`[{"big":"${'x\\"'.repeat(15 * MiB)}"}, ${'1'.repeat(3 * MiB)}, {"a":2}]`, 1024));
    expect(items.map((item) => item.rejection ?? item.value)).toEqual(['larger than input.maxRecordBytes', 'larger than input.maxRecordBytes', { a: 2 }]);
  });

  it('reads a 20 MB single-line JSON array of records fed 64 KB at a time', async () => {
    const records = Array.from({ length: 300_000 }, (_, n) => JSON.stringify({ n, pad: 'x'.repeat(50) }));
    const { items } = await readUntilError(chunked(`[${records.join(',')}]`, 64 * 1024));
    expect(items).toHaveLength(300_000);
    expect(items.at(-1)!.value).toEqual({ n: 299_999, pad: 'x'.repeat(50) });
  });

  it('stops reading past a syntax error it cannot step over, even if the input never ends', async () => {
    let pulled = 0;
    // As good as endless: reading it all would take a while, and pull every chunk.
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('[{"a":1} {"b":2}]');
      for (; pulled < 100_000; pulled++) yield Buffer.from(' [{"c":3}]');
    }
    const { items } = await readUntilError(endless());
    expect(items.map((item) => item.error ?? item.value)).toEqual([{ a: 1 }, "expected ',' or ']' after array element 1; reading stopped"]);
    expect(pulled).toBeLessThanOrEqual(1);
  });
});

describe('bounded input: inputs that cannot be read on end with an InputError', () => {
  it('stops a gzip input that inflates past maxInflatedBytes, after the records before', async () => {
    const gz = gzipSync('{"a":1}\n'.repeat(200_000)); // 1.6 MB inflated, a few KB compressed
    const { items, error } = await readUntilError(Readable.from([gz]), { maxInflatedBytes: 1_500_000, source: 'bomb.json.gz' });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^bomb\.json\.gz inflates to more than 1500000 bytes \(input\.maxInflatedBytes in conf\/global\.json\)/);
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(200_000);
    expect(items.every((item) => item.value !== undefined)).toBe(true);
  });

  it('reports broken gzip as an InputError, not a zlib crash', async () => {
    const gz = gzipSync('{"a":1}\n'.repeat(1000));
    const { error } = await readUntilError(Readable.from([gz.subarray(0, gz.length - 8)]), { source: 'cut.json.gz' });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^cut\.json\.gz is not valid gzip \(unexpected end of file\)/);
  });

  it.each([
    // A gigabyte stands for /dev/zero's endless supply: reading it through would fail all the same.
    ['zero bytes (/dev/zero)', async function* zeros(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 16 * 1024; i++) yield Buffer.alloc(64 * 1024);
    }],
    ['UTF-16 text', async function* utf16(): AsyncGenerator<Buffer> {
      yield Buffer.from('\uFEFF{"a":1}\n', 'utf16le');
    }],
  ])('refuses %s as not JSON text', async (_name, source) => {
    const { items, error } = await readUntilError(source());
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^the input is not JSON text: it holds a NUL byte \(character \d+\)/);
    expect(items).toEqual([]);
  });
});
