import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseSchemaFile } from '../../src/classifier/schema.ts';
import { readRecords } from '../../src/input/reader.ts';
import { describeEvent, type PipelineEvent } from '../../src/pipeline/events.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { SCHEMAS, duoRecord } from '../support/rules-project.ts';

const DUO = parseSchemaFile(SCHEMAS['conf/schemas/duo.json'], 'conf/schemas/duo.json');
/** A Duo record whose `user` (a `{}` field: any object fits) nests `levels` objects deep. */
const deepDuo = (levels: number) => JSON.stringify(duoRecord({ user: {} })).replace('"user":{}', `"user":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

function pipeline(): { pipeline: Pipeline; events: PipelineEvent[] } {
  const events: PipelineEvent[] = [];
  return { pipeline: new Pipeline({ schemas: DUO, rules: [], outputs: {}, onEvent: (event) => events.push(event) }), events };
}

describe('rejected records in the pipeline', () => {
  it('counts the records the reader rejects as unreadable, by why, and classifies the others', async () => {
    const { pipeline: run, events } = pipeline();
    const lines = [JSON.stringify(duoRecord()), '{"result":', `{"pad":"${'x'.repeat(2000)}"}`, deepDuo(100), JSON.stringify(duoRecord())];
    for await (const item of readRecords(Readable.from([lines.join('\n')]), { maxRecordBytes: 1024 })) run.processInput(item);
    expect(run.stats).toMatchObject({ read: 5, records: 5, classified: 2, unclassified: 3, unreadable: 3 });
    expect(run.stats.unclassifiedByReason).toEqual({ 'not valid JSON': 1, 'larger than input.maxRecordBytes': 1, 'nested deeper than 64 levels': 1 });
    expect(events.map(describeEvent)).toEqual([
      'line 2 is not valid JSON (Unexpected end of JSON input)',
      'line 3 is larger than 1024 bytes: skipped (input.maxRecordBytes in conf/global.json sets the limit)',
      'line 4 nests objects or lists deeper than 64 levels: skipped (no log needs as many)',
    ]);
  });

  it('rejects a payload nested deeper than 64 levels handed to process() directly, as the reader would, without a stack overflow', () => {
    const { pipeline: run, events } = pipeline();
    expect(run.process(JSON.parse(deepDuo(10_000)))).toEqual([]);
    expect(run.process(JSON.parse(deepDuo(62)))).toEqual([]);
    expect(run.stats).toMatchObject({ read: 2, classified: 1, unreadable: 1 });
    expect(run.stats.unclassifiedByReason).toEqual({ 'nested deeper than 64 levels': 1 });
    expect(events.map(describeEvent)).toEqual(['record 1 nests objects or lists deeper than 64 levels: skipped']);
  });
});
