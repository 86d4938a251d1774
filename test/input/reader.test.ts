import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openInput, readRecordBatches, readRecords, type InputRecord } from '../../src/input/reader.ts';

/** Feeds `text` in chunks of `size` bytes, so every chunk boundary a real stream may cut is tried. */
async function read(text: string | Buffer, size: number): Promise<InputRecord[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const out: InputRecord[] = [];
  for await (const item of readRecords(Readable.from(chunks))) out.push(item);
  return out;
}

/** The same records whatever the chunk size: 1 byte, odd sizes, all at once. */
async function readEveryWay(text: string | Buffer): Promise<InputRecord[]> {
  const whole = await read(text, 1 << 20);
  for (const size of [1, 2, 3, 7, 64]) expect(await read(text, size)).toEqual(whole);
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
